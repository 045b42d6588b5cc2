import CanopyCore
import PropertyBased
import Testing

@Suite struct TimestampTests {
    @Test func buildsFromCalendarFields() throws {
        let t = try #require(Timestamp(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 58, millisecond: 7))
        #expect(t.description == "2024-02-29T23:59:58.007Z")
        #expect(t.dateString == "2024-02-29")
    }

    @Test func appliesTheZoneOffset() throws {
        let t = try #require(Timestamp(year: 2024, month: 1, day: 1, hour: 1, offsetSeconds: 2 * 3600))
        #expect(t.description == "2023-12-31T23:00:00.000Z")
    }

    @Test(arguments: [(2023, 2, 29), (2024, 13, 1), (2024, 4, 31), (1969, 12, 31), (2024, 0, 1)])
    func rejectsImpossibleDates(year: Int, month: Int, day: Int) {
        #expect(Timestamp(year: year, month: month, day: day) == nil)
    }

    @Test func civilConversionRoundTrips() async {
        await propertyCheck(input: Gen.int(in: 0...2_932_896)) { days in
            let (y, m, d) = Timestamp.civilFromDays(days)
            #expect(Timestamp.daysFromCivil(year: y, month: m, day: d) == days)
        }
    }
}
