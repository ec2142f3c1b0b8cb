import type { RiskBand } from '../answer-model.js';
import type { ImmediateRiskDetector } from '../immediate-risk-detector.js';
import type { RiskModel } from './risk-model.js';

export interface RiskAssessment {
  band: RiskBand;
  /** What raised the band, in a few words; absent for `none`. */
  reason?: string;
  /** Ids of the immediate-risk signals that fired. */
  signals: string[];
  /** The learned model's probability, or null when no model is loaded. */
  probability: number | null;
}

/**
 * Decides the risk band: the deciding signals (precise rules an editor can read) OR the learned
 * model, which generalises to words nobody listed. The model's two thresholds were set on the dev
 * split (see models/risk-model.md). The other signals name the danger.
 */
export class RiskAssessor {
  constructor(
    private readonly signals: ImmediateRiskDetector,
    private readonly model: RiskModel | undefined,
  ) {}

  /** `typed`: the message's words as written; `corrected`: after spelling correction (what the signals read). */
  assess(typed: readonly string[], corrected: readonly string[]): RiskAssessment {
    const finding = this.signals.detect(corrected);
    const score = this.model?.score(typed);
    const probability = score ? score.probability : null;
    const { signals } = finding;
    if (finding.decides) return { band: 'emergency', reason: finding.reasons[0], signals, probability };
    // Without a model (only the trainer reads a pack that way, to measure the deciding signals alone) nothing else decides.
    if (!score || !this.model) return { band: 'none', signals, probability };
    const { thresholds } = this.model;
    const band: RiskBand =
      score.probability >= thresholds.emergency ? 'emergency' : score.probability >= thresholds.possible ? 'possible' : 'none';
    if (band === 'none') return { band, signals, probability };
    // The editor's words for the danger when a signal saw it too; otherwise the words the model weighed most.
    const words = score
      .weighedMost()
      .map((word) => `"${word}"`)
      .join(', ');
    const reason = finding.reasons[0] ?? (words ? `These words weighed most: ${words}.` : undefined);
    return { band, signals, probability, ...(reason ? { reason } : {}) };
  }
}
