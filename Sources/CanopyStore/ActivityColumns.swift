import CanopyCore
import Foundation

/// How an ``Activity``'s lists are kept in a text column, the same on both backends: a JSON array of strings.
enum ActivityColumns {
    /// The columns every activity read selects, in this order.
    static let select = """
        id, time, source, source_event_id, app, instance, actor_id, actor_name, actor_email, actor_kind, actor_admin, \
        impersonated, ip, country, region, city, latitude, longitude, isp, asn, ip_tags, user_agent, device_tags, \
        type, raw_event_name, objects, result, raw
        """

    static func text(_ list: [String]) -> String {
        guard !list.isEmpty, let data = try? JSONEncoder().encode(list) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The list in `text`; empty when it is not a JSON array of strings (never stored so, but never trusted).
    static func list(_ text: String) -> [String] {
        guard text != "[]" else { return [] }
        return (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }

    /// A location only when the row holds any part of one.
    static func location(
        country: String?,
        region: String?,
        city: String?,
        latitude: Double?,
        longitude: Double?
    ) -> Activity.Location? {
        guard country != nil || region != nil || city != nil || latitude != nil || longitude != nil else { return nil }
        return Activity.Location(country: country, region: region, city: city, latitude: latitude, longitude: longitude)
    }
}
