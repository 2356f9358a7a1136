package io.candlebeam.pipeline;

import io.candlebeam.transforms.model.DeadLetter;
import org.apache.beam.sdk.values.PCollection;

/** What {@link CandlePipeline#buildPipeline} built: for tests to assert on. */
public record CandleOutputs<C>(PCollection<C> candles,
    PCollection<DeadLetter> deadLetters, PCollection<DeadLetter> tooLate) {}
