import CanopyCore

/// The calendar fields a time layout has read so far (``TimeFormat`` patterns, `SimpleDateFormat` patterns in
/// ``SIEMTimestamp``); a field that was not read keeps its default: January 1, midnight, UTC, the default year.
struct DateTimeFields {
    var year: Int?
    var month = 1
    var day = 1
    var hour = 0
    var minute = 0
    var second = 0
    var millisecond = 0
    /// Seconds east of UTC.
    var offset = 0

    /// The instant; nil for an impossible date.
    func timestamp(defaultYear: Int) -> Timestamp? {
        Timestamp(
            year: year ?? defaultYear,
            month: month,
            day: day,
            hour: hour,
            minute: minute,
            second: second,
            millisecond: min(999, millisecond),
            offsetSeconds: offset
        )
    }
}
