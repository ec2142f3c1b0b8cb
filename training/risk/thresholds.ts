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

export function figuresAt(scored: readonly Scored[], thresholds: Thresholds): BandFigures {
  const emergencies = scored.filter((item) => item.emergency);
  const others = scored.filter((item) => !item.emergency);
  const inEmergency = (item: Scored) => item.signalled || item.probability >= thresholds.emergency;
  const inPossible = (item: Scored) => !inEmergency(item) && item.probability >= thresholds.possible;
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
 * The highest thresholds that still reach the recall targets on the given (dev) messages: the
 * emergency band's, then the possible band's (emergency or possible). Higher thresholds mean fewer
 * false alarms, so the highest that keeps recall is the one to take.
 */
export function chooseThresholds(scored: readonly Scored[], targets: { emergency: number; possible: number }): Thresholds {
  const emergencies = scored.filter((item) => item.emergency && !item.signalled).map((item) => item.probability);
  const total = scored.filter((item) => item.emergency).length;
  const signalledCount = total - emergencies.length;
  const highestReaching = (target: number): number => {
    const sorted = [...emergencies].sort((a, b) => b - a);
    // Emergencies the model must catch so that, with the signals, the share caught reaches the target.
    const needed = Math.max(0, Math.ceil(target * total - 1e-9) - signalledCount);
    if (needed === 0) return 1;
    return sorted[Math.min(needed, sorted.length) - 1]!;
  };
  const emergency = highestReaching(targets.emergency);
  const possible = Math.min(emergency, highestReaching(targets.possible));
  return { emergency, possible };
}
