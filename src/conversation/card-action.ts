import { z } from 'zod';
import type { TriageState, WorkArea } from '../engine/index.js';

/**
 * What a card button asks the bot to do. The same payloads travel in Teams Action.Submit data,
 * Slack button values and the playground, so every platform runs the same logic. Anything that
 * does not parse as one of these is treated as unknown or tampered with.
 */
const topicId = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
  .max(60);

const choiceId = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
  .max(30);
/** Names one reply, so a person's feedback on it counts once and a "Yes, now" press on it is counted once. */
const answerRef = z.string().regex(/^[a-z0-9]{8,32}$/);

const triageState = z
  .object({ r: z.enum(['y', 'n']).optional(), s: z.enum(['y', 'n']).optional(), a: choiceId.optional(), l: choiceId.optional() })
  .strict();

/** Lead requests are named by 24 random hexadecimal digits. */
const requestId = z.string().regex(/^[0-9a-f]{24}$/);
const urgency = z.enum(['today', 'this-week']);

const cardActionSchema = z.discriminatedUnion('action', [
  z.object({ sa: z.literal(1), action: z.literal('topic'), topicId }).strict(),
  z
    .object({
      sa: z.literal(1),
      action: z.literal('feedback'),
      topicId,
      verdict: z.enum(['helpful', 'not-helpful']),
      // Absent on cards sent before they were added.
      ref: answerRef.optional(),
      risk: z.enum(['emergency', 'possible']).optional(),
    })
    .strict(),
  // "Yes, now" on a reply that first asked "Is a child in danger right now?": show the emergency card.
  z.object({ sa: z.literal(1), action: z.literal('danger-now'), topicId: topicId.optional(), ref: answerRef.optional() }).strict(),
  // Slack's "More": everything else about a topic, posted as a message of its own.
  z.object({ sa: z.literal(1), action: z.literal('more'), topicId }).strict(),
  z.object({ sa: z.literal(1), action: z.literal('help') }).strict(),
  z.object({ sa: z.literal(1), action: z.literal('triage'), state: triageState }).strict(),
  z.object({ sa: z.literal(1), action: z.literal('area'), area: z.enum(['derby-city', 'derbyshire']) }).strict(),
  // "Ask a safeguarding lead": first without an urgency (the asker is asked how soon), then with it (the request is sent).
  z.object({ sa: z.literal(1), action: z.literal('ask-lead'), topicId: topicId.optional(), urgency: urgency.optional() }).strict(),
  // A lead's buttons on a request in the leads' channel.
  z.object({ sa: z.literal(1), action: z.literal('lead-take'), request: requestId }).strict(),
  z.object({ sa: z.literal(1), action: z.literal('lead-done'), request: requestId }).strict(),
]);

export type CardAction = z.infer<typeof cardActionSchema>;
export type FeedbackVerdict = Extract<CardAction, { action: 'feedback' }>['verdict'];
export type Urgency = z.infer<typeof urgency>;

/** Reads a button payload (an object, or JSON text as Slack sends it); undefined when it is not ours or not valid. */
export function parseCardAction(value: unknown): CardAction | undefined {
  let candidate = value;
  if (typeof value === 'string') {
    if (value.length > 2000) return undefined;
    try {
      candidate = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const parsed = cardActionSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}

export const cardActions = {
  topic: (id: string): CardAction => ({ sa: 1, action: 'topic', topicId: id }),
  feedback: (id: string, verdict: FeedbackVerdict, ref?: string, risk?: 'emergency' | 'possible'): CardAction => ({
    sa: 1,
    action: 'feedback',
    topicId: id,
    verdict,
    ...(ref ? { ref } : {}),
    ...(risk ? { risk } : {}),
  }),
  dangerNow: (topicId?: string, ref?: string): CardAction => ({
    sa: 1,
    action: 'danger-now',
    ...(topicId ? { topicId } : {}),
    ...(ref ? { ref } : {}),
  }),
  more: (topicId: string): CardAction => ({ sa: 1, action: 'more', topicId }),
  help: (): CardAction => ({ sa: 1, action: 'help' }),
  triage: (state: TriageState): CardAction => ({ sa: 1, action: 'triage', state: withoutEmptyFields(state) }),
  area: (area: WorkArea): CardAction => ({ sa: 1, action: 'area', area }),
  askLead: (topic: string | null, how?: Urgency): CardAction => ({
    sa: 1,
    action: 'ask-lead',
    ...(topic ? { topicId: topic } : {}),
    ...(how ? { urgency: how } : {}),
  }),
  leadTake: (request: string): CardAction => ({ sa: 1, action: 'lead-take', request }),
  leadDone: (request: string): CardAction => ({ sa: 1, action: 'lead-done', request }),
};

function withoutEmptyFields(state: TriageState): TriageState {
  return Object.fromEntries(Object.entries(state).filter(([, value]) => value !== undefined)) as TriageState;
}

/** True when a payload looks like it came from one of our cards at all (even if it is now invalid). */
export function looksLikeCardAction(value: unknown): boolean {
  return typeof value === 'object' && value !== null && ('sa' in value || 'action' in value);
}
