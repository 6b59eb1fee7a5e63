// The router's one chat template (docs/openai.md "Chat template"): chat messages, tool schemas, tool calls
// and tool results → the prompt text the byte tokenizer encodes (one token per UTF-8 byte, so a segment's
// token count is its byte count). A ChatML-like layout of role-tagged turns, with tools laid out the way
// Hermes/Qwen2.5-style templates do (`<tools>` schemas, `<tool_call>` JSON, `<tool_response>`):
//
//   <|tools|>\n{tool 1 JSON}\n{tool 2 JSON}\n          only when tools are given, once, first
//   <|system|>\n{content}\n                              also developer and user; `<|user:alice|>` with a name
//   <|assistant|>\n{content}\n                           a reply
//   <|assistant|>\n<tool_call>{call JSON}</tool_call>\n  with tool calls: one line each, after the content
//   <|tool|>\n<tool_response id="call_1">\n{content}\n</tool_response>\n
//   <|assistant|>\n                                      the generation prompt that opens the reply
//
// A turn is `<|role|>\n{body}\n`. An assistant body is its content and its tool-call lines joined by "\n"
// (an empty content is left out when there are calls). A tool is `{"type":"function","function":{name,
// description?, parameters?, strict?}}`; a call is `{"id","name","arguments"}` with `arguments` parsed
// when it is JSON (re-serialised compactly) and kept as a string otherwise. Pure.
import { encode } from '@oicf/tokenizer';

export interface ToolCall {
  readonly id: string;
  readonly name: string;
  /** As the client sent it: a string, usually JSON. */
  readonly arguments: string;
}

export type ChatTurn =
  | { readonly role: 'system' | 'developer' | 'user'; readonly name?: string; readonly content: string }
  | {
      readonly role: 'assistant';
      readonly name?: string;
      readonly content: string;
      readonly toolCalls: readonly ToolCall[];
    }
  | { readonly role: 'tool'; readonly toolCallId: string; readonly content: string };

export interface ToolSpec {
  readonly name: string;
  readonly description?: string;
  /** A JSON Schema object, as sent. */
  readonly parameters?: unknown;
  readonly strict?: boolean;
}

export interface RenderOptions {
  /** Open the assistant's reply at the end (default true). */
  readonly addGenerationPrompt?: boolean;
  /** Leave the last turn open (no closing "\n", no generation prompt) so the model continues it (vLLM). */
  readonly continueFinalMessage?: boolean;
}

export const GENERATION_PROMPT = '<|assistant|>\n';

export function toolLine(tool: ToolSpec): string {
  const fn: Record<string, unknown> = { name: tool.name };
  if (tool.description !== undefined) fn.description = tool.description;
  if (tool.parameters !== undefined) fn.parameters = tool.parameters;
  if (tool.strict !== undefined) fn.strict = tool.strict;
  return JSON.stringify({ type: 'function', function: fn });
}

export function toolCallLine(call: ToolCall): string {
  let args: unknown = call.arguments;
  try {
    args = JSON.parse(call.arguments);
  } catch {
    // Not JSON: kept verbatim as a string.
  }
  return `<tool_call>${JSON.stringify({ id: call.id, name: call.name, arguments: args })}</tool_call>`;
}

function tag(role: string, name: string | undefined): string {
  return name === undefined ? `<|${role}|>\n` : `<|${role}:${name}|>\n`;
}

function turnHeadAndBody(turn: ChatTurn): [string, string] {
  switch (turn.role) {
    case 'assistant': {
      const calls = turn.toolCalls.map(toolCallLine);
      const lines = turn.content === '' && calls.length > 0 ? calls : [turn.content, ...calls];
      return [tag('assistant', turn.name), lines.join('\n')];
    }
    case 'tool':
      return [
        tag('tool', undefined),
        `<tool_response id=${JSON.stringify(turn.toolCallId)}>\n${turn.content}\n</tool_response>`,
      ];
    default:
      return [tag(turn.role, turn.name), turn.content];
  }
}

/** The tools block ('' without tools). */
export function renderTools(tools: readonly ToolSpec[]): string {
  return tools.length === 0 ? '' : `<|tools|>\n${tools.map((t) => `${toolLine(t)}\n`).join('')}`;
}

/** One closed turn: `<|role|>\n{body}\n`. */
export function renderTurn(turn: ChatTurn): string {
  const [head, body] = turnHeadAndBody(turn);
  return `${head}${body}\n`;
}

/** The whole prompt text. */
export function renderChat(
  turns: readonly ChatTurn[],
  tools: readonly ToolSpec[] = [],
  opts: RenderOptions = {},
): string {
  const continueLast = opts.continueFinalMessage === true && turns.length > 0;
  const closed = continueLast ? turns.slice(0, -1) : turns;
  let text = renderTools(tools) + closed.map(renderTurn).join('');
  if (continueLast) {
    const [head, body] = turnHeadAndBody(turns[turns.length - 1] as ChatTurn);
    return text + head + body;
  }
  if (opts.addGenerationPrompt ?? true) text += GENERATION_PROMPT;
  return text;
}

/** The prompt's token ids (byte tokenizer, no specials). */
export function renderChatTokens(
  turns: readonly ChatTurn[],
  tools: readonly ToolSpec[] = [],
  opts: RenderOptions = {},
): number[] {
  return encode(renderChat(turns, tools, opts));
}
