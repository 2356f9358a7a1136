package io.candlebeam.transforms.dedup;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** The id ranges behind de-duplication: repeats found, consecutive ids kept as one range. */
class SeenIdsTest {
  @Test
  void aRepeatedIdIsFoundAndConsecutiveIdsStayOneRange() {
    SeenIds seen = new SeenIds();
    for (long id = 100; id < 1100; id++) {
      assertThat(seen.add(id, id * 10), is(true));
    }
    assertThat(seen.ranges(), is(1));
    assertThat(seen.add(100, 0), is(false));
    assertThat(seen.add(1099, 0), is(false));
    assertThat(seen.add(1100, 0), is(true));
    assertThat(seen.ranges(), is(1));
  }

  @Test
  void idsInAnyOrderMergeTheirRanges() {
    SeenIds seen = new SeenIds();
    for (long id : new long[] {5, 9, 7, 6, 8, 1, 3}) {
      assertThat(seen.add(id, id), is(true));
    }
    // [1] [3] [5..9]
    assertThat(seen.ranges(), is(3));
    assertThat(seen.add(2, 2), is(true));
    assertThat(seen.add(4, 4), is(true));
    assertThat(seen.toString(), is("SeenIds{[1..9 @9]}"));
    for (long id = 1; id <= 9; id++) {
      assertThat(seen.add(id, 0), is(false));
    }
  }

  @Test
  void rangesPastTheHorizonAreForgotten() {
    SeenIds seen = new SeenIds();
    seen.add(1, 1_000);
    seen.add(2, 2_000);
    seen.add(10, 5_000);
    // [1..2 @2000] [10 @5000]: forgetting up to 3000 drops the first range only
    assertThat(seen.forgetIf(t -> t <= 3_000), is(1));
    assertThat(seen.add(1, 6_000), is(true));
    assertThat(seen.add(10, 6_000), is(false));
  }

  @Test
  void eachShardsIdsHaveConsecutiveRanksAndStayOneRange() {
    java.util.Map<String, SeenIds> shards = new java.util.HashMap<>();
    for (long id = 5_000_000; id < 5_000_000 + 200_000; id++) {
      assertThat(shards.computeIfAbsent(DropDuplicates.shardKey("BTC", id), k -> new SeenIds())
          .add(DropDuplicates.rank(id), id), is(true));
    }
    assertThat(shards.size(), is(DropDuplicates.SHARDS));
    // Each shard got blocks of 1024 consecutive ids in turn: one range each.
    shards.values().forEach(s -> assertThat(s.toString(), s.ranges(), is(1)));
    long repeat = 5_123_456;
    assertThat(shards.get(DropDuplicates.shardKey("BTC", repeat)).add(DropDuplicates.rank(repeat), 0),
        is(false));
  }

  @Test
  void theCoderKeepsEveryRange() throws Exception {
    SeenIds seen = new SeenIds();
    seen.add(-5, 1);
    seen.add(42, 9_999_999_999L);
    seen.add(43, 7);
    SeenIds copy = CoderUtils.clone(SeenIds.Coder.of(), seen);
    assertThat(copy.toString(), is(seen.toString()));
  }
}
