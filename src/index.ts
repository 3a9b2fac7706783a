/**
 * `latchkey`: {@link createAuth}, which makes an instance offering every operation ({@link Auth}), the
 * one error class {@link AuthError} with {@link isAuthError}, and the types of the options, ports,
 * records, inputs and results. Storage, frameworks and mail transports come from the other entries
 * (`latchkey/memory`, `latchkey/kysely`, `latchkey/hono` …), so importing this one loads none of them.
 *
 * @module latchkey
 */
export { createAuth } from './create-auth.js';
export type { Auth, AuthInstanceOptions, OperationInput, OperationName, OperationResult } from './core/auth.js';
export {
  AuthError,
  isAuthError,
  type AnyAuthError,
  type AuthErrorCode,
  type AuthErrorOptions,
  type AuthErrorPayloads,
  type ErrorDetail,
  type OptionsArgument,
} from './core/errors.js';
export type { AuthOptions, ParsedOptions } from './core/options.js';
export type { RequestInfo } from './core/context.js';
export type { AccountResource } from './core/internal/accounts/account-resource.js';
export type { TokenResponse } from './core/internal/sessions/open-session.js';
export type { SessionResource } from './core/sessions/list-sessions.js';
export type { AccessTokenClaims } from './core/internal/tokens/access-token.js';
export type { VerifyAccessTokenOptions } from './core/tokens/verify-access-token.js';
export type { AuthenticateInput, AuthenticateResult } from './core/tokens/authenticate.js';
export type { CheckSecretInput } from './core/tokens/check-secret.js';
export type { VerifyEmailInput } from './core/accounts/verify-email.js';
export type { RegisterInput } from './core/accounts/register.js';
export type { LoginInput } from './core/sessions/login.js';
export type { RefreshInput } from './core/sessions/refresh.js';
export type { RevokeTokenInput } from './core/sessions/revoke-token.js';
export type { ActiveTokenInfo, IntrospectionResult, IntrospectTokenInput } from './core/tokens/introspect-token.js';
export type { CreateGroupInput } from './core/groups/create-group.js';
export type { GetGroupInput } from './core/groups/get-group.js';
export type { GroupPatch, UpdateGroupInput } from './core/groups/update-group.js';
export type { ListGroupsInput } from './core/groups/list-groups.js';
export type { DeletedGroup, DeleteGroupInput } from './core/groups/delete-group.js';
export type { GroupResource } from './core/internal/groups/group-resource.js';
export type { GroupSettingsPatch } from './core/internal/groups/group-settings.js';
export type { TwoFactorSetupRequiredInput } from './core/tokens/two-factor-setup-required.js';
export type { AuthEvent, EventName, EventDataMap, EventListener, EventBus } from './core/events/event-bus.js';
export type * from './core/ports.js';
export type { ChangePasswordInput } from './core/accounts/change-password.js';
export type { DeleteAccountInput, DeletionJob, DeletionStep } from './core/accounts/delete-account.js';
export type { PurgeResult } from './core/accounts/purge-deleted-accounts.js';
export type { RequestPasswordResetInput } from './core/accounts/request-password-reset.js';
export type { ResetPasswordInput } from './core/accounts/reset-password.js';
export type { UpdateProfileInput, ProfilePatch, JsonPatchOperation } from './core/accounts/update-profile.js';
export type { LoginResource } from './core/sessions/list-logins.js';
export type { MailTemplate, MailTemplateData, MailTemplates, RenderedMail } from './core/mail/types.js';
export type { CompleteTwoFactorLoginInput, CodeSent } from './core/sessions/complete-two-factor-login.js';
export type { PanicLockInput } from './core/accounts/panic.js';
export type { UnlockAccountInput } from './core/accounts/unlock.js';
export type { TotpEnrolment } from './core/totp/enrol-totp.js';
export type { ConfirmTotpInput } from './core/totp/confirm-totp.js';
export type { DisableTotpInput } from './core/totp/disable-totp.js';
export type { RegenerateRecoveryCodesInput } from './core/recovery-codes/regenerate-recovery-codes.js';
export type { AddPhoneInput } from './core/otp/add-phone.js';
export type { SendChannelCodeInput } from './core/otp/send-channel-code.js';
export type { VerifyChannelInput } from './core/otp/verify-channel.js';
export type { DisableChannelInput } from './core/otp/disable-channel.js';
export type { TwoFactorMethod } from './core/internal/accounts/account-resource.js';
export type {
  PasskeyCredentialJSON,
  PasskeyRegistrationJSON,
  PasskeyAuthenticationJSON,
} from './core/internal/webauthn/credential-json.js';
export type { WebauthnCredentialResource } from './core/internal/webauthn/credential-resource.js';
export type { WebauthnRegistrationOptionsInput } from './core/webauthn/registration-options.js';
export type { VerifyWebauthnRegistrationInput, RegisteredPasskey } from './core/webauthn/verify-registration.js';
export type { ListWebauthnCredentialsInput } from './core/webauthn/list-credentials.js';
export type { RenameWebauthnCredentialInput } from './core/webauthn/rename-credential.js';
export type { DeleteWebauthnCredentialInput } from './core/webauthn/delete-credential.js';
export type { WebauthnLoginOptionsInput } from './core/webauthn/login-options.js';
export type { VerifyWebauthnLoginInput } from './core/webauthn/verify-login.js';
export type { RoleInput } from './core/internal/accounts/change-role.js';
export type { RoleTarget } from './core/internal/accounts/roles.js';
export type { AdminAccountInput } from './core/internal/accounts/admin-target.js';
export type { SearchAccountsInput } from './core/accounts/search-accounts.js';
export type { AdminAccountPatch, AdminUpdateAccountInput } from './core/accounts/admin-update-account.js';
export type {
  ImportAccountRow,
  ImportAccountsInput,
  ImportAccountsResult,
  ImportFailure,
  ImportRowError,
} from './core/accounts/import-accounts.js';
export type { StartSupportSessionInput, SupportSessionResponse } from './core/accounts/start-support-session.js';
export type { AdminActor } from './core/internal/admin/audit.js';
export type { AuditEntryResource, ListAuditLogInput } from './core/audit/list-audit-log.js';
export type { CreateWebhookEndpointInput } from './core/webhooks/create-webhook-endpoint.js';
export type { CreatedWebhookEndpoint, WebhookEndpointResource } from './core/internal/webhooks/endpoint-resource.js';
export type { WebhookEndpointInput } from './core/internal/webhooks/endpoint-fields.js';
export type { ListWebhookEndpointsInput } from './core/webhooks/list-webhook-endpoints.js';
export type { UpdateWebhookEndpointInput, WebhookEndpointPatch } from './core/webhooks/update-webhook-endpoint.js';
export type { ListWebhookDeliveriesInput } from './core/webhooks/list-webhook-deliveries.js';
export type { WebhookDeliveryResource } from './core/internal/webhooks/delivery-resource.js';
export type { RetryWebhookDeliveryInput } from './core/webhooks/retry-webhook-delivery.js';
export type { ListEventsInput } from './core/webhooks/list-events.js';
export type { WebhookDispatcherHandle } from './core/webhooks/start-webhook-dispatcher.js';
