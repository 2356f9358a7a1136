package io.candlebeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.io.InterruptedIOException;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.kafka.common.errors.InterruptException;
import org.junit.jupiter.api.Test;

class StreamingRunTest {
  @Test
  void anInterruptedMicroBatchPlanningIsTheStopsOwnDoing() {
    // as Spark reported it in a failed CI stop: the job generator's Kafka metadata call interrupted
    RuntimeException kafka = new IllegalStateException("Error generating jobs",
        new InterruptException(new InterruptedException()));
    assertThat(StreamingRun.interruptedByTheStop(new PipelineExecutionException(kafka)), is(true));
    assertThat(StreamingRun.interruptedByTheStop(
        new RuntimeException(new InterruptedIOException("read"))), is(true));
  }

  @Test
  void anyOtherErrorOnStopStillFailsTheRun() {
    assertThat(StreamingRun.interruptedByTheStop(new PipelineExecutionException(
        new IllegalStateException("a micro-batch failed", new IOException("disk full")))),
        is(false));
    assertThat(StreamingRun.interruptedByTheStop(new RuntimeException("no cause")), is(false));
  }
}
