package io.candlebeam.pipeline.options;

import org.apache.beam.sdk.options.StreamingOptions;

/** All of candlebeam's flags: composed from small interfaces, read once into a JobConfig. */
public interface CandleOptions
    extends SourceOptions, KafkaOptions, JdbcOptions, WindowOptions, SinkOptions, LiveViewOptions,
    StreamingOptions {}
