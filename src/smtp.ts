/**
 * `latchkey/smtp`: a Mailer that delivers over SMTP. Only this entry loads nodemailer, an optional peer
 * dependency.
 *
 * @module latchkey/smtp
 */
export { smtpMailer, type SmtpMailer, type SmtpMailerOptions } from './adapters/mail/smtp.js';
