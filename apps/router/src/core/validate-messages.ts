// Chat `messages` → ChatTurns for the chat template. Every field of every message is either rendered or
// refused with a 400 naming it (`messages[2].tool_calls[0].function.name`): unknown fields are
// `unknown_parameter`, content parts other than text (images, audio, files) `unsupported_content_type`,
// and a `tool` message must answer a tool call of an earlier assistant message, as OpenAI requires.
import type { ChatTurn, ToolCall } from './chat-template.js';
import { describeValue, invalid, issue400, type Parsed } from './generate-input.js';

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const;
type Role = (typeof ROLES)[number];
const FIELDS: Record<Role, readonly string[]> = {
  system: ['role', 'content', 'name'],
  developer: ['role', 'content', 'name'],
  user: ['role', 'content', 'name'],
  assistant: ['role', 'content', 'name', 'tool_calls', 'refusal', 'audio', 'function_call'],
  tool: ['role', 'content', 'tool_call_id'],
};
/** A participant or tool name: it is written inside a role tag, so no characters that could end one. */
export const NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownField(
  obj: Obj,
  allowed: readonly string[],
  param: string,
): { ok: false; issue: ReturnType<typeof issue400>['issue'] } | undefined {
  const extra = Object.keys(obj).find((k) => !allowed.includes(k));
  if (extra === undefined) return undefined;
  return issue400(
    'unknown_parameter',
    `${param}.${extra}`,
    `Unrecognized field ${param}.${extra}; accepted: ${allowed.join(', ')}`,
  );
}

/** A string, or an array of `{type: "text", text}` parts joined without separator. */
function contentText(content: unknown, param: string): Parsed<string> {
  if (typeof content === 'string') return { ok: true, value: content };
  if (!Array.isArray(content)) {
    return invalid(param, `${param} must be a string or an array of content parts, got ${describeValue(content)}`);
  }
  let text = '';
  for (let i = 0; i < content.length; i++) {
    const part = content[i];
    const p = `${param}[${i}]`;
    if (!isObject(part) || typeof part.type !== 'string') return invalid(p, `${p} must be a content part {"type": …}`);
    if (part.type !== 'text') {
      return issue400(
        'unsupported_content_type',
        `${p}.type`,
        `${p} has type ${describeValue(part.type)}: this server's model reads text only (byte tokenizer), so image, audio and file parts are refused rather than dropped`,
      );
    }
    const extra = unknownField(part, ['type', 'text'], p);
    if (extra !== undefined) return extra;
    if (typeof part.text !== 'string') return invalid(`${p}.text`, `${p}.text must be a string`);
    text += part.text;
  }
  return { ok: true, value: text };
}

function parseToolCalls(value: unknown, param: string): Parsed<ToolCall[]> {
  if (!Array.isArray(value)) return invalid(param, `${param} must be an array of tool calls`);
  const calls: ToolCall[] = [];
  for (let j = 0; j < value.length; j++) {
    const c = value[j];
    const p = `${param}[${j}]`;
    if (!isObject(c)) return invalid(p, `${p} must be {"id", "type": "function", "function": {"name", "arguments"}}`);
    const extra = unknownField(c, ['id', 'type', 'function'], p);
    if (extra !== undefined) return extra;
    if (typeof c.id !== 'string' || c.id === '') return invalid(`${p}.id`, `${p}.id must be a non-empty string`);
    if (c.type !== 'function')
      return invalid(`${p}.type`, `${p}.type must be "function", got ${describeValue(c.type)}`);
    const f = c.function;
    if (!isObject(f)) return invalid(`${p}.function`, `${p}.function must be {"name", "arguments"}`);
    const fExtra = unknownField(f, ['name', 'arguments'], `${p}.function`);
    if (fExtra !== undefined) return fExtra;
    if (typeof f.name !== 'string' || !NAME_PATTERN.test(f.name)) {
      return invalid(`${p}.function.name`, `${p}.function.name must match ${NAME_PATTERN.source}`);
    }
    if (typeof f.arguments !== 'string') {
      return invalid(`${p}.function.arguments`, `${p}.function.arguments must be a string (JSON text)`);
    }
    if (calls.some((k) => k.id === c.id))
      return invalid(`${p}.id`, `${p}.id ${describeValue(c.id)} repeats an earlier call's id`);
    calls.push({ id: c.id, name: f.name, arguments: f.arguments });
  }
  return { ok: true, value: calls };
}

function parseAssistant(m: Obj, param: string): Parsed<ChatTurn> {
  for (const key of ['audio', 'function_call'] as const) {
    if (m[key] !== undefined && m[key] !== null) {
      const hint = key === 'function_call' ? ' (deprecated: use tool_calls)' : '';
      return issue400(
        'unsupported_parameter',
        `${param}.${key}`,
        `${param}.${key} is not supported by this server${hint}`,
      );
    }
  }
  if (m.refusal !== undefined && m.refusal !== null) {
    return issue400(
      'unsupported_value',
      `${param}.refusal`,
      `${param}.refusal: the chat template has no place for a refusal; send its text as content`,
    );
  }
  let toolCalls: ToolCall[] = [];
  if (m.tool_calls !== undefined && m.tool_calls !== null) {
    const calls = parseToolCalls(m.tool_calls, `${param}.tool_calls`);
    if (!calls.ok) return calls;
    toolCalls = calls.value;
  }
  let content = '';
  if (m.content === undefined || m.content === null) {
    if (toolCalls.length === 0) {
      return invalid(`${param}.content`, `${param}.content is required unless the message has tool_calls`);
    }
  } else {
    const text = contentText(m.content, `${param}.content`);
    if (!text.ok) return text;
    content = text.value;
  }
  return { ok: true, value: { role: 'assistant', content, toolCalls, ...nameOf(m) } };
}

function nameOf(m: Obj): { name?: string } {
  return typeof m.name === 'string' ? { name: m.name } : {};
}

/** Validates `messages` into the turns the template renders. */
export function parseMessages(value: unknown): Parsed<ChatTurn[]> {
  if (!Array.isArray(value) || value.length === 0) {
    return invalid('messages', 'messages is required: a non-empty array of {role, content}');
  }
  const turns: ChatTurn[] = [];
  const callIds = new Set<string>();
  for (let i = 0; i < value.length; i++) {
    const m = value[i];
    const param = `messages[${i}]`;
    if (!isObject(m)) return invalid(param, `${param} must be an object`);
    if (m.role === 'function') {
      return issue400(
        'unsupported_value',
        `${param}.role`,
        `${param}.role "function" is deprecated and not supported: use "tool"`,
      );
    }
    if (typeof m.role !== 'string' || !(ROLES as readonly string[]).includes(m.role)) {
      return invalid(`${param}.role`, `${param}.role must be one of ${ROLES.join(', ')}, got ${describeValue(m.role)}`);
    }
    const role = m.role as Role;
    const extra = unknownField(m, FIELDS[role], param);
    if (extra !== undefined) return extra;
    if (m.name !== undefined && (typeof m.name !== 'string' || !NAME_PATTERN.test(m.name))) {
      return invalid(`${param}.name`, `${param}.name must match ${NAME_PATTERN.source}`);
    }
    if (role === 'assistant') {
      const turn = parseAssistant(m, param);
      if (!turn.ok) return turn;
      if (turn.value.role === 'assistant') for (const c of turn.value.toolCalls) callIds.add(c.id);
      turns.push(turn.value);
      continue;
    }
    if (m.content === undefined || m.content === null)
      return invalid(`${param}.content`, `${param}.content is required`);
    const text = contentText(m.content, `${param}.content`);
    if (!text.ok) return text;
    if (role === 'tool') {
      if (typeof m.tool_call_id !== 'string' || m.tool_call_id === '') {
        return invalid(
          `${param}.tool_call_id`,
          `${param}.tool_call_id is required: the id of the tool call it answers`,
        );
      }
      if (!callIds.has(m.tool_call_id)) {
        return invalid(
          `${param}.tool_call_id`,
          `${param}.tool_call_id ${describeValue(m.tool_call_id)} answers no tool call of an earlier assistant message`,
        );
      }
      turns.push({ role: 'tool', toolCallId: m.tool_call_id, content: text.value });
      continue;
    }
    turns.push({ role, content: text.value, ...nameOf(m) });
  }
  return { ok: true, value: turns };
}
