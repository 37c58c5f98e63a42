package io.vireo.scheduler.framework;

/**
 * Ranks the feasible hosts. The framework adds up {@code weight * normalised score} over the profile's scorers and
 * takes the highest total.
 */
public interface ScorePlugin extends Plugin {
    /** Scores after {@link #normalize} lie in {@code [0, MAX_SCORE]}. */
    double MAX_SCORE = 100.0;

    /** SUCCESS, or SKIP when this scorer has no opinion about this request. Runs once per request. */
    default Status preScore(CycleState state) {
        return Status.SUCCESS;
    }

    /** Writes a raw score for {@code hosts[i]} to {@code scores[i]}, {@code i < count}; higher is better. */
    void score(CycleState state, int[] hosts, int count, double[] scores);

    /** Brings {@code scores[0..count)} into {@code [0, MAX_SCORE]}; by default they are already there. */
    default void normalize(CycleState state, double[] scores, int count) {}
}
