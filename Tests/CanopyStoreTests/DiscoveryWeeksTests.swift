import CanopyStore
import Testing

/// Which rows a day range reads: built weeks wholly inside it from the weekly rollups, every other day from the daily.
@Suite struct DiscoveryWeeksTests {
    @Test func weeksStartOnMonday() {
        #expect(DiscoveryWeeks.start(of: 20_794) == 20_794)  // Monday 2026-12-07.
        #expect(DiscoveryWeeks.start(of: 20_800) == 20_794)  // Sunday 2026-12-13.
        #expect(DiscoveryWeeks.start(of: 20_801) == 20_801)
        #expect(DiscoveryWeeks.start(of: 0) == -3)  // Thursday 1970-01-01; Monday 1969-12-29.
        #expect(DiscoveryWeeks.start(of: -4) == -10)
        #expect(DiscoveryWeeks.start(of: .min) == .min)
        #expect(DiscoveryWeeks.starts(touching: 20_790...20_801) == [20_787, 20_794, 20_801])
    }

    @Test func aRangeReadsBuiltWeeksInsideItAndDaysElsewhere() {
        // 30 days ending on Sunday 2026-12-27; weeks from 11-30 to 12-21 built, but not 12-07.
        let range: ClosedRange<Int32> = 20_785...20_814
        let weeks = DiscoveryWeeks(range, built: [20_780, 20_787, 20_801, 20_808, 20_815])
        #expect(weeks.weeks == [20_787...20_787, 20_801...20_808])
        #expect(weeks.days == [20_785...20_786, 20_794...20_800])
        #expect(Self.covered(weeks) == Array(range))
    }

    @Test func nothingBuiltReadsEveryDay() {
        #expect(DiscoveryWeeks(20_785...20_814, built: []).days == [20_785...20_814])
        #expect(DiscoveryWeeks(daily: 1...2) == DiscoveryWeeks(1...2, built: [-3]))
    }

    @Test func extremeRangesAreWalkedOnlyOverTheBuiltWeeks() {
        let weeks = DiscoveryWeeks(0...Int32.max, built: [20_794, 20_801])
        #expect(weeks.weeks == [20_794...20_801])
        #expect(weeks.days == [0...20_793, 20_808...Int32.max])
        let all = DiscoveryWeeks(Int32.min...Int32.max, built: [])
        #expect(all.days == [Int32.min...Int32.max])
    }

    @Test func aBuiltWeekCutByTheRangeIsReadByDay() {
        let weeks = DiscoveryWeeks(20_796...20_803, built: [20_794, 20_801])
        #expect(weeks.weeks.isEmpty)
        #expect(weeks.days == [20_796...20_803])
    }

    @Test func theSourceUnitesDailyAndWeeklyRows() {
        let weeks = DiscoveryWeeks(20_793...20_801, built: [20_794])
        #expect(
            weeks.source("discovery_app_day", columns: "app, users", dataSource: 3)
                == "(SELECT app, users FROM discovery_app_day WHERE day BETWEEN 20793 AND 20793 AND data_source = 3"
                + " UNION ALL SELECT app, users FROM discovery_app_day WHERE day BETWEEN 20801 AND 20801"
                + " AND data_source = 3 UNION ALL SELECT app, users FROM discovery_app_week WHERE day BETWEEN 20794"
                + " AND 20794 AND data_source = 3) AS r"
        )
        #expect(DiscoveryWeeks.weekly("discovery_day") == "discovery_week")
    }

    /// Every day the ranges cover, in order, each once.
    static func covered(_ weeks: DiscoveryWeeks) -> [Int32] {
        (weeks.days.flatMap { Array($0) }
            + weeks.weeks.flatMap { w in
                stride(from: w.lowerBound, through: w.upperBound, by: 7).flatMap { $0...($0 + 6) }
            })
            .sorted()
    }
}
