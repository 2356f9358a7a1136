package io.candlebeam.transforms.combine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.core.InMemoryStateInternals;
import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.runners.core.StateTags;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn.OutputReceiver;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.PaneInfo.Timing;
import org.apache.beam.sdk.transforms.windowing.Window.ClosingBehavior;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The running total of one key and window, fed the shuffle's discarding panes in the order a
 * runner delivers them. The DirectRunner delivered a window's closing pane before its last LATE
 * pane (found in PortabilityMatrixIT): the total must still hold every delta, in pane order.
 */
class AccumulatePanesTest {
  private final AccumulatePanes<String, Long> fn = new AccumulatePanes<>(new CombinePerKeyAndWindowTest.SumValues(),
      VarLongCoder.of(), sum -> sum == 0,
      WindowingStrategy.of(FixedWindows.of(Duration.standardDays(1)))
          .withClosingBehavior(ClosingBehavior.FIRE_IF_NON_EMPTY)); // the job's (AssignWindows)
  private final InMemoryStateInternals<String> state = InMemoryStateInternals.forKey("BTC");
  private final ValueState<Long> total =
      state.state(StateNamespaces.global(), StateTags.value("total", VarLongCoder.of()));
  private final ValueState<Long> lastPane =
      state.state(StateNamespaces.global(), StateTags.value("lastPane", VarLongCoder.of()));
  private final BagState<KV<Long, KV<Integer, Long>>> held = state.state(StateNamespaces.global(),
      StateTags.bag("held", KvCoder.of(VarLongCoder.of(),
          KvCoder.of(VarIntCoder.of(), VarLongCoder.of()))));
  private final List<Long> out = new ArrayList<>();
  private final OutputReceiver<KV<String, Long>> receiver = new OutputReceiver<>() {
    @Override
    public void output(KV<String, Long> kv) {
      out.add(kv.getValue());
    }

    @Override
    public void outputWithTimestamp(KV<String, Long> kv, Instant timestamp) {
      output(kv);
    }
  };

  private void pane(long index, Timing timing, boolean isLast, long delta) {
    fn.process(KV.of("BTC", delta), PaneInfo.createPane(index == 0, isLast, timing, index,
        timing == Timing.LATE ? index : 0), total, lastPane, held, receiver);
  }

  @Test
  void inOrderEachPaneIsTheTotalSoFarAndTheClosingPaneReleasesIt() {
    pane(0, Timing.ON_TIME, false, 5);
    pane(1, Timing.LATE, false, 3);
    pane(2, Timing.LATE, false, 4);
    pane(3, Timing.LATE, true, 0); // the window expired: nothing new, the total is released
    assertThat(out, contains(5L, 8L, 12L));
    assertThat(total.read(), is(nullValue()));
  }

  @Test
  void theClosingPaneAheadOfTheLastLatePaneWaitsForIt() {
    pane(0, Timing.ON_TIME, false, 5);
    pane(1, Timing.LATE, false, 3);
    pane(3, Timing.LATE, true, 0); // delivered before pane 2: held, the total kept
    assertThat(out, contains(5L, 8L));
    pane(2, Timing.LATE, false, 4); // the whole candle, then the held closing pane releases it
    assertThat(out, contains(5L, 8L, 12L));
    assertThat(total.read(), is(nullValue()));
  }

  @Test
  void aLatePaneAheadOfAnotherIsMergedInIndexOrder() {
    pane(0, Timing.ON_TIME, false, 5);
    pane(2, Timing.LATE, false, 4); // ahead of pane 1: held
    assertThat(out, contains(5L));
    pane(1, Timing.LATE, false, 3); // 1, then the held 2: the last value is the whole candle
    assertThat(out, contains(5L, 8L, 12L));
    pane(2, Timing.LATE, false, 4); // the same pane again (a re-fire): dropped
    assertThat(out, contains(5L, 8L, 12L));
  }
}
