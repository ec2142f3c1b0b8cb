import type { RiskBand } from '../../src/engine/answer-model.js';

/** One message as the decision sees it: its label, the model's probability, and whether a signal fired. */
export interface Scored {
  emergency: boolean;
  probability: number;
  signalled: boolean;
}

export interface BandFigures {
  emergencies: number;
  nonEmergencies: number;
  /** Emergencies in the emergency band. */
  emergencyRecall: number;
  /** Emergencies in the emergency or the possible band. */
  flaggedRecall: number;
  /** Non-emergencies in the emergency band. */
  falseEmergencies: number;
  /** Non-emergencies in the possible band. */
  possibleOnNone: number;
}

export interface Thresholds {
  emergency: number;
  possible: number;
}

/** The band a message gets: a deciding signal or the emergency threshold, else the possible threshold, else none. */
export function bandAt(item: Scored, thresholds: Thresholds): RiskBand {
  if (item.signalled || item.probability >= thresholds.emergency) return 'emergency';
  return item.probability >= thresholds.possible ? 'possible' : 'none';
}

export function figuresAt(scored: readonly Scored[], thresholds: Thresholds): BandFigures {
  const emergencies = scored.filter((item) => item.emergency);
  const others = scored.filter((item) => !item.emergency);
  const inEmergency = (item: Scored) => bandAt(item, thresholds) === 'emergency';
  const inPossible = (item: Scored) => bandAt(item, thresholds) === 'possible';
  const share = (items: Scored[], test: (item: Scored) => boolean) => (items.length ? items.filter(test).length / items.length : 0);
  return {
    emergencies: emergencies.length,
    nonEmergencies: others.length,
    emergencyRecall: share(emergencies, inEmergency),
    flaggedRecall: share(emergencies, (item) => inEmergency(item) || inPossible(item)),
    falseEmergencies: share(others, inEmergency),
    possibleOnNone: share(others, inPossible),
  };
}

/**
 * The thresholds, chosen on the given (dev) messages:
 * - emergency: the lowest threshold whose false-emergency rate stays within the budget (the most
 *   emergencies caught for the false alarms the budget allows);
 * - possible: the highest threshold at which emergency-or-possible still reaches its recall target
 *   (the fewest "is a child in danger?" questions that still leave no emergency unflagged).
 */
export function chooseThresholds(scored: readonly Scored[], targets: ThresholdTargets): Thresholds {
  const others = scored.filter((item) => !item.emergency && !item.signalled).map((item) => item.probability);
  const otherCount = scored.filter((item) => !item.emergency).length;
  const signalledOthers = otherCount - others.length;
  // Allowed false alarms from the model, after those the deciding signals raise.
  const allowed = Math.max(0, Math.floor(targets.falseEmergencyBudget * otherCount + 1e-9) - signalledOthers);
  const descending = [...others].sort((a, b) => b - a);
  // Just above the (allowed + 1)-th highest non-emergency: at most `allowed` of them reach it.
  const emergency = allowed < descending.length ? Math.min(1, nextUp(descending[allowed]!)) : 0;

  const emergencies = scored.filter((item) => item.emergency && !item.signalled).map((item) => item.probability);
  const total = scored.filter((item) => item.emergency).length;
  const needed = Math.max(0, Math.ceil(targets.possibleRecall * total - 1e-9) - (total - emergencies.length));
  const sorted = [...emergencies].sort((a, b) => b - a);
  const possibleAt = needed === 0 ? 1 : sorted[Math.min(needed, sorted.length) - 1]!;
  return { emergency, possible: Math.min(emergency, possibleAt) };
}

export interface ThresholdTargets {
  /** Share of non-emergencies the emergency band may take. */
  falseEmergencyBudget: number;
  /** Share of emergencies the emergency and possible bands together must take. */
  possibleRecall: number;
}

/** The smallest double above the value, so that a threshold set there excludes the value itself. */
function nextUp(value: number): number {
  return value + Math.max(Number.EPSILON, Math.abs(value) * Number.EPSILON);
}

/** How well probabilities separate emergencies from the rest, at the operating points that matter. */
export function separation(scored: Array<{ emergency: boolean; p: number }>): string {
  const positives = scored
    .filter((item) => item.emergency)
    .map((item) => item.p)
    .sort((a, b) => b - a);
  const negatives = scored
    .filter((item) => !item.emergency)
    .map((item) => item.p)
    .sort((a, b) => b - a);
  const falseAlarmsAtRecall = (recall: number) => {
    const threshold = positives[Math.ceil(recall * positives.length) - 1]!;
    return negatives.filter((p) => p >= threshold).length / negatives.length;
  };
  const recallAtFalseAlarms = (rate: number) => {
    const threshold = negatives[Math.floor(rate * negatives.length)] ?? 0;
    return positives.filter((p) => p > threshold).length / positives.length;
  };
  let concordant = 0;
  for (const p of positives) for (const n of negatives) concordant += p > n ? 1 : p === n ? 0.5 : 0;
  const auc = concordant / (positives.length * negatives.length);
  const pct = (value: number) => `${(100 * value).toFixed(1)}%`;
  return `AUC ${auc.toFixed(4)}; false alarms at 97% recall ${pct(falseAlarmsAtRecall(0.97))}, at 99% ${pct(falseAlarmsAtRecall(0.99))}; recall at 3% false alarms ${pct(recallAtFalseAlarms(0.03))}`;
}
