import { z } from 'zod';
import { getLink, LINK_IDS } from '../hardware/links.js';
import type { LinkSpec } from '../types.js';
import { describe, numberField, positiveReal, strictFields, textField } from './zod-fields.js';

/** An inline link: id, bandwidth per device per direction and one-way latency; displayName defaults to id. */
export const linkSpecSchema = strictFields({
  id: textField(),
  displayName: textField().optional(),
  source: textField().default('user JSON'),
  bandwidthBytesPerSecond: numberField(positiveReal),
  latencySeconds: numberField({ min: 0 }),
  energyPicojoulesPerBit: numberField({ min: 0 }).optional(),
}).transform(
  ({ displayName, energyPicojoulesPerBit, ...link }): LinkSpec => ({
    ...link,
    displayName: displayName ?? link.id,
    ...(energyPicojoulesPerBit !== undefined ? { energyPicojoulesPerBit } : {}),
  }),
);

/** A catalog link id ('nvlink4', …): unknown ids answer the catalog's "unknown link 'x'; valid: …". */
const catalogLinkSchema = z.string().transform((id, ctx): LinkSpec => {
  const found = getLink(id);
  if (found.ok) return found.value;
  ctx.addIssue({ code: 'custom', message: found.error.message });
  return z.NEVER;
});

/** A catalog link id or an inline link object. */
export const linkRefSchema = z.union([catalogLinkSchema, linkSpecSchema], {
  error: (issue) => `must be a catalog link id (${LINK_IDS.join(', ')}) or a link object, got ${describe(issue.input)}`,
});
