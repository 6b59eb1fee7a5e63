// A chat body's prompt: messages and tools validated, rendered through the one chat template, tokenized.
// Shared by POST /v1/chat/completions and vLLM's POST /tokenize (messages form).
import { renderChat } from './chat-template.js';
import type { Parsed } from './generate-input.js';
import { tokenize } from './prompt.js';
import { parseMessages } from './validate-messages.js';
import { optionalBoolean } from './validate-sampling.js';
import { parseTools } from './validate-tools.js';

export function chatPromptTokens(body: Record<string, unknown>): Parsed<number[]> {
  const turns = parseMessages(body.messages);
  if (!turns.ok) return turns;
  const tools = parseTools(body);
  if (!tools.ok) return tools;
  const addGenerationPrompt = optionalBoolean(body, 'add_generation_prompt', true);
  if (!addGenerationPrompt.ok) return addGenerationPrompt;
  const continueFinalMessage = optionalBoolean(body, 'continue_final_message', false);
  if (!continueFinalMessage.ok) return continueFinalMessage;
  const text = renderChat(turns.value, tools.value, {
    addGenerationPrompt: addGenerationPrompt.value && !continueFinalMessage.value,
    continueFinalMessage: continueFinalMessage.value,
  });
  return { ok: true, value: tokenize(text) };
}
