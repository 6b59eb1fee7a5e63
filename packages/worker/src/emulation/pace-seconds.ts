/** How long to sleep after real work so it takes as long as predicted: max(0, predicted − measured). */
export function paceSeconds(predictedSeconds: number, measuredSeconds: number): number {
  return Math.max(0, predictedSeconds - measuredSeconds);
}
