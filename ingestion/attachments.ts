import type { ErrorCode } from '../src/core/errors';
import type { ParsedAttachment } from './parse/types';
import { isEmpty, isEncryptedOffice, sniffMime, type DocumentMime } from './sniff';

export interface AttachmentLimits {
  /** Attachments of one email ingested at most; later ones are recorded as refused. */
  maxCount: number;
  /** Their bytes together at most: an attachment that would pass this is refused, later smaller ones still go. */
  maxTotalBytes: number;
  /** One attachment at most (an upload's limit, MAX_UPLOAD_BYTES). */
  maxFileBytes: number;
}

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = Object.freeze({ maxCount: 20, maxTotalBytes: 25 * 1024 * 1024, maxFileBytes: 50 * 1024 * 1024 });

/** One attachment, checked as an upload would be: a sniffed type to ingest it as, or why it is not ingested. */
export type PlannedAttachment = {
  /** Unique within the email (the file name, numbered when repeated): the child document's key across versions. */
  key: string;
  fileName: string;
  declaredMime: string;
  content: Uint8Array;
} & ({ mime: DocumentMime } | { error: { code: ErrorCode; message: string } });

function refusal(code: ErrorCode, message: string): { error: { code: ErrorCode; message: string } } {
  return { error: { code, message } };
}

/**
 * Which attachments become documents, in the email's order: the same checks as an upload (empty, encrypted
 * Office file, size, sniffed type), then the email's own bounds on their number and total size. Pure.
 */
export function planAttachments(attachments: readonly ParsedAttachment[], limits: AttachmentLimits): PlannedAttachment[] {
  const seen = new Map<string, number>();
  let count = 0;
  let total = 0;
  return attachments.map((attachment, index) => {
    const fileName = attachment.fileName.trim() || `attachment-${index + 1}`;
    const repeats = (seen.get(fileName) ?? 0) + 1;
    seen.set(fileName, repeats);
    const base = { key: repeats === 1 ? fileName : `${fileName}#${repeats}`, fileName, declaredMime: attachment.mime, content: attachment.content };
    const size = attachment.content.byteLength;
    if (isEmpty(attachment.content)) return { ...base, ...refusal('EMPTY_FILE', 'the attachment is empty') };
    if (size > limits.maxFileBytes) return { ...base, ...refusal('PAYLOAD_TOO_LARGE', `the attachment is ${size} bytes; the limit is ${limits.maxFileBytes} (MAX_UPLOAD_BYTES)`) };
    if (isEncryptedOffice(attachment.content)) return { ...base, ...refusal('OFFICE_ENCRYPTED', 'the attachment is a password-protected Office file') };
    const mime = sniffMime(attachment.content, fileName);
    if (!mime) return { ...base, ...refusal('UNSUPPORTED_MEDIA_TYPE', `unsupported attachment type (declared ${attachment.mime || 'none'})`) };
    if (count + 1 > limits.maxCount) return { ...base, ...refusal('PAYLOAD_TOO_LARGE', `the email has more than ${limits.maxCount} attachments to ingest (EML_MAX_ATTACHMENTS)`) };
    if (total + size > limits.maxTotalBytes) {
      return { ...base, ...refusal('PAYLOAD_TOO_LARGE', `the email's attachments pass ${limits.maxTotalBytes} bytes together (EML_MAX_ATTACHMENT_BYTES)`) };
    }
    count += 1;
    total += size;
    return { ...base, mime };
  });
}

/** The child document's key: its email's document and its own key, so a new version of the email finds it again. */
export function attachmentExternalId(parentDocumentId: string, key: string): string {
  return `attachment:${parentDocumentId}:${key}`.slice(0, 300);
}

/** "report.pdf, attachment of “Your router has shipped”": what citations of the child show. */
export function attachmentTitle(fileName: string, emailTitle: string): string {
  const title = `${fileName}, attachment of “${emailTitle}”`;
  return title.length <= 300 ? title : `${title.slice(0, 298)}…”`;
}
