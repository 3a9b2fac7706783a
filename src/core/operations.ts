import { adminDeleteAccountOperation } from './accounts/admin-delete-account.js';
import { adminGetAccountOperation } from './accounts/admin-get-account.js';
import { adminLockAccountOperation } from './accounts/admin-lock-account.js';
import { adminUnlockAccountOperation } from './accounts/admin-unlock-account.js';
import { adminUpdateAccountOperation } from './accounts/admin-update-account.js';
import { startSupportSessionOperation } from './accounts/start-support-session.js';
import { changePasswordOperation } from './accounts/change-password.js';
import { deleteAccountOperation } from './accounts/delete-account.js';
import { getAccountOperation } from './accounts/get-account.js';
import { grantRoleOperation } from './accounts/grant-role.js';
import { importAccountsOperation } from './accounts/import-accounts.js';
import { panicLockOperation } from './accounts/panic.js';
import { purgeDeletedAccountsOperation } from './accounts/purge-deleted-accounts.js';
import { registerOperation } from './accounts/register.js';
import { requestPasswordResetOperation } from './accounts/request-password-reset.js';
import { resetPasswordOperation } from './accounts/reset-password.js';
import { revokeRoleOperation } from './accounts/revoke-role.js';
import { searchAccountsOperation } from './accounts/search-accounts.js';
import { sendVerificationEmailOperation } from './accounts/send-verification-email.js';
import { unlockAccountOperation } from './accounts/unlock.js';
import { updateProfileOperation } from './accounts/update-profile.js';
import { verifyEmailOperation } from './accounts/verify-email.js';
import { listAuditLogOperation } from './audit/list-audit-log.js';
import { assertGroupOperation } from './groups/assert-group.js';
import { createGroupOperation } from './groups/create-group.js';
import { deleteGroupOperation } from './groups/delete-group.js';
import { getGroupOperation } from './groups/get-group.js';
import { listGroupsOperation } from './groups/list-groups.js';
import { updateGroupOperation } from './groups/update-group.js';
import { twoFactorSetupRequiredOperation } from './tokens/two-factor-setup-required.js';
import { addPhoneOperation } from './otp/add-phone.js';
import { disableChannelOperation } from './otp/disable-channel.js';
import { sendChannelCodeOperation } from './otp/send-channel-code.js';
import { verifyChannelOperation } from './otp/verify-channel.js';
import { regenerateRecoveryCodesOperation } from './recovery-codes/regenerate-recovery-codes.js';
import { completeTwoFactorLoginOperation } from './sessions/complete-two-factor-login.js';
import { listLoginsOperation } from './sessions/list-logins.js';
import { listSessionsOperation } from './sessions/list-sessions.js';
import { loginOperation } from './sessions/login.js';
import { logoutOperation } from './sessions/logout.js';
import { refreshOperation } from './sessions/refresh.js';
import { revokeSessionOperation } from './sessions/revoke-session.js';
import { revokeOtherSessionsOperation } from './sessions/revoke-session.js';
import { revokeTokenOperation } from './sessions/revoke-token.js';
import { checkSecretOperation } from './tokens/check-secret.js';
import { introspectTokenOperation } from './tokens/introspect-token.js';
import { jwksOperation } from './tokens/jwks.js';
import { rotateSigningKeyOperation } from './tokens/rotate-signing-key.js';
import { verifyAccessTokenOperation } from './tokens/verify-access-token.js';
import { authenticateOperation } from './tokens/authenticate.js';
import { confirmTotpOperation } from './totp/confirm-totp.js';
import { disableTotpOperation } from './totp/disable-totp.js';
import { enrolTotpOperation } from './totp/enrol-totp.js';
import { deleteWebauthnCredentialOperation } from './webauthn/delete-credential.js';
import { listWebauthnCredentialsOperation } from './webauthn/list-credentials.js';
import { webauthnLoginOptionsOperation } from './webauthn/login-options.js';
import { webauthnRegistrationOptionsOperation } from './webauthn/registration-options.js';
import { renameWebauthnCredentialOperation } from './webauthn/rename-credential.js';
import { verifyWebauthnLoginOperation } from './webauthn/verify-login.js';
import { verifyWebauthnRegistrationOperation } from './webauthn/verify-registration.js';
import { createWebhookEndpointOperation } from './webhooks/create-webhook-endpoint.js';
import { deleteWebhookEndpointOperation } from './webhooks/delete-webhook-endpoint.js';
import { getWebhookEndpointOperation } from './webhooks/get-webhook-endpoint.js';
import { listEventsOperation } from './webhooks/list-events.js';
import { listWebhookDeliveriesOperation } from './webhooks/list-webhook-deliveries.js';
import { listWebhookEndpointsOperation } from './webhooks/list-webhook-endpoints.js';
import { retryWebhookDeliveryOperation } from './webhooks/retry-webhook-delivery.js';
import { rotateWebhookSecretOperation } from './webhooks/rotate-webhook-secret.js';
import { sendTestWebhookOperation } from './webhooks/send-test-webhook.js';
import { startWebhookDispatcherOperation } from './webhooks/start-webhook-dispatcher.js';
import { updateWebhookEndpointOperation } from './webhooks/update-webhook-endpoint.js';

/**
 * Every operation of latchkey, one line each. The `Auth` facade (`createAuth`) is made from this table,
 * and each entry's documentation is what `auth.<name>` shows. Adding an operation is a file of its own
 * (the function and its `…Operation` entry) and one line here.
 */
export const operations = {
  ...registerOperation,
  ...loginOperation,
  ...completeTwoFactorLoginOperation,
  ...panicLockOperation,
  ...unlockAccountOperation,
  ...refreshOperation,
  ...logoutOperation,
  ...revokeTokenOperation,
  ...introspectTokenOperation,
  ...verifyAccessTokenOperation,
  ...authenticateOperation,
  ...getAccountOperation,
  ...listSessionsOperation,
  ...revokeSessionOperation,
  ...revokeOtherSessionsOperation,
  ...checkSecretOperation,
  ...verifyEmailOperation,
  ...sendVerificationEmailOperation,
  ...requestPasswordResetOperation,
  ...resetPasswordOperation,
  ...changePasswordOperation,
  ...updateProfileOperation,
  ...deleteAccountOperation,
  ...purgeDeletedAccountsOperation,
  ...listLoginsOperation,
  ...addPhoneOperation,
  ...sendChannelCodeOperation,
  ...verifyChannelOperation,
  ...disableChannelOperation,
  ...createGroupOperation,
  ...enrolTotpOperation,
  ...confirmTotpOperation,
  ...disableTotpOperation,
  ...regenerateRecoveryCodesOperation,
  ...webauthnRegistrationOptionsOperation,
  ...verifyWebauthnRegistrationOperation,
  ...listWebauthnCredentialsOperation,
  ...renameWebauthnCredentialOperation,
  ...deleteWebauthnCredentialOperation,
  ...webauthnLoginOptionsOperation,
  ...verifyWebauthnLoginOperation,
  ...jwksOperation,
  ...rotateSigningKeyOperation,
  ...assertGroupOperation,
  ...grantRoleOperation,
  ...revokeRoleOperation,
  ...adminGetAccountOperation,
  ...searchAccountsOperation,
  ...adminLockAccountOperation,
  ...adminUnlockAccountOperation,
  ...adminDeleteAccountOperation,
  ...adminUpdateAccountOperation,
  ...importAccountsOperation,
  ...startSupportSessionOperation,
  ...listAuditLogOperation,
  ...getGroupOperation,
  ...updateGroupOperation,
  ...listGroupsOperation,
  ...deleteGroupOperation,
  ...twoFactorSetupRequiredOperation,
  ...createWebhookEndpointOperation,
  ...listWebhookEndpointsOperation,
  ...getWebhookEndpointOperation,
  ...updateWebhookEndpointOperation,
  ...deleteWebhookEndpointOperation,
  ...rotateWebhookSecretOperation,
  ...listWebhookDeliveriesOperation,
  ...retryWebhookDeliveryOperation,
  ...sendTestWebhookOperation,
  ...listEventsOperation,
  ...startWebhookDispatcherOperation,
};
