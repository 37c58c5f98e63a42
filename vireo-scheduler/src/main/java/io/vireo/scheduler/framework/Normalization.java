package io.vireo.scheduler.framework;

/** Common ways for a {@link ScorePlugin} to bring raw scores into {@code [0, MAX_SCORE]}. */
public final class Normalization {
    private Normalization() {}

    /**
     * Scales {@code scores[0..count)}, all {@code >= 0}, so the largest becomes MAX_SCORE ({@code reverse}: so the
     * largest becomes 0 and 0 becomes MAX_SCORE). All zero stays all zero (all MAX_SCORE if reversed).
     */
    public static void scaleToMax(double[] scores, int count, boolean reverse) {
        double max = 0;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, scores[i]);
        }
        if (max <= 0) {
            java.util.Arrays.fill(scores, 0, count, reverse ? ScorePlugin.MAX_SCORE : 0.0);
            return;
        }
        double factor = ScorePlugin.MAX_SCORE / max;
        for (int i = 0; i < count; i++) {
            double scaled = scores[i] * factor;
            scores[i] = reverse ? ScorePlugin.MAX_SCORE - scaled : scaled;
        }
    }

    /** Clamps {@code scores[0..count)} into {@code [0, MAX_SCORE]}. */
    public static void clamp(double[] scores, int count) {
        for (int i = 0; i < count; i++) {
            scores[i] = Math.min(ScorePlugin.MAX_SCORE, Math.max(0.0, scores[i]));
        }
    }
}
