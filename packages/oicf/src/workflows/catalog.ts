import { lookupById } from '../catalog-lookup.js';
import type { RangeSpec, Result, WorkflowSpec } from '../types.js';

// Agent session generators. Every default cites its origin; figures marked "assumption" are the
// project's choice within the range the cited work describes. Log-uniform ranges model heavy-tailed
// tool output: mean of log-uniform [a, b] = (b − a) / ln(b / a).

const uniform = (min: number, max: number): RangeSpec => ({ min, max, distribution: 'uniform' });
const logUniform = (min: number, max: number): RangeSpec => ({ min, max, distribution: 'log-uniform' });
const none = uniform(0, 0);

export const WORKFLOWS: readonly WorkflowSpec[] = [
  {
    id: 'chat',
    displayName: 'Chat',
    source:
      'LMSYS-Chat-1M (Zheng et al., ICLR 2024), Table 1: 2.0 turns per conversation, 69.5 prompt and 214.5 response tokens on average → turns 1–3, user log-uniform 10–250 (mean 75), output log-uniform 30–800 (mean 234); 200-token system prompt and 5–60 s human think time are assumptions',
    numTurns: uniform(1, 3),
    systemPromptTokens: 200,
    userTokensPerTurn: logUniform(10, 250),
    toolOutputTokensPerTurn: none,
    numScreenshotsPerTurn: none,
    tokensPerScreenshot: 0,
    outputTokensPerTurn: logUniform(30, 800),
    gapSeconds: logUniform(5, 60),
    maxContextTokens: 32_768,
  },
  {
    id: 'coding',
    displayName: 'Coding agent',
    source:
      'SWE-agent (Yang et al., NeurIPS 2024) and OpenHands (Wang et al., 2024) coding agents: 20–30 environment interactions per task, each appending tool output (file views, searches, test logs) to the history, which grows to 1e5–1e6 tokens. Tool output log-uniform 200–20,000 (mean ≈ 4.3k/turn → ≈ 1e5 after 25 turns), 6,000-token system prompt with tool docs and demonstration, output (thought + action) log-uniform 50–1,500, tool time 0.5–60 s: assumptions within those descriptions',
    numTurns: uniform(20, 30),
    systemPromptTokens: 6000,
    userTokensPerTurn: uniform(0, 100),
    toolOutputTokensPerTurn: logUniform(200, 20_000),
    numScreenshotsPerTurn: none,
    tokensPerScreenshot: 0,
    outputTokensPerTurn: logUniform(50, 1500),
    gapSeconds: logUniform(0.5, 60),
    maxContextTokens: 1_000_000,
  },
  {
    id: 'web-use',
    displayName: 'Web-use agent',
    source:
      'WebArena (Zhou et al., ICLR 2024): step-by-step browsing with accessibility-tree observations (thousands of tokens per page) over episodes of tens of actions under a step budget. Observation log-uniform 1,000–16,000 tokens (mean ≈ 5.4k), 5–30 steps, 2,000-token system prompt, output 50–500, page load/act 1–10 s: assumptions',
    numTurns: uniform(5, 30),
    systemPromptTokens: 2000,
    userTokensPerTurn: uniform(0, 50),
    toolOutputTokensPerTurn: logUniform(1000, 16_000),
    numScreenshotsPerTurn: none,
    tokensPerScreenshot: 0,
    outputTokensPerTurn: logUniform(50, 500),
    gapSeconds: logUniform(1, 10),
    maxContextTokens: 128_000,
  },
  {
    id: 'computer-use',
    displayName: 'Computer-use agent',
    source:
      'OSWorld (Xie et al., NeurIPS 2024): screenshot-driven desktop agents with 15-step (and later 50-step) budgets → 15–50 turns, one screenshot per step. Screenshot tokens ≈ width·height/750 (Anthropic vision docs) = 1280·800/750 ≈ 1,365 (within the 1–2k per screenshot range). 1,500-token system prompt, 0–200 text tokens, output 30–300, action/settle 1–5 s: assumptions',
    numTurns: uniform(15, 50),
    systemPromptTokens: 1500,
    userTokensPerTurn: uniform(0, 200),
    toolOutputTokensPerTurn: none,
    numScreenshotsPerTurn: uniform(1, 1),
    tokensPerScreenshot: 1365,
    outputTokensPerTurn: logUniform(30, 300),
    gapSeconds: logUniform(1, 5),
    maxContextTokens: 200_000,
  },
];

export const WORKFLOW_IDS: readonly string[] = WORKFLOWS.map((workflow) => workflow.id);

export function getWorkflow(id: string): Result<WorkflowSpec> {
  return lookupById('workflow', WORKFLOWS, id);
}
