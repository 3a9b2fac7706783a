/**
 * `latchkey/smtp`: a Mailer that delivers over SMTP. Only this entry loads nodemailer, an optional peer
 * dependency.
 */
export { smtpMailer, type SmtpMailer, type SmtpMailerOptions } from './adapters/mail/smtp.js';
