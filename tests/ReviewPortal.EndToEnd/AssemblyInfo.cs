// Each collection starts its own portals and Chromium: on a 2-core machine two at once would skew the timings that
// the live-update tests measure, so collections run one after another (tests within one always did).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
