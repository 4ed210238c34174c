import Foundation

extension BusinessCalendar {
    static func read(id: String, _ field: Field) -> BusinessCalendar? {
        field.object { reader in
            let zone = reader.required("time_zone") { zoneField -> TimeZone? in
                guard let name = zoneField.string() else { return nil }
                guard let zone = TimeZone(identifier: name) else {
                    zoneField.report(.invalidValue, "not a known IANA time zone (such as Europe/Berlin)")
                    return nil
                }
                return zone
            }
            let days = reader.required("working_days") { daysField in
                daysField.list(allowEmpty: false) { $0.choice(Weekday.allCases.map { ($0.rawValue, $0) }) }
            }
            let hours = reader.required("hours") { hoursField in
                hoursField.object { hoursReader -> (LocalTime, LocalTime)? in
                    let opens = hoursReader.required("opens") { readTime($0) }
                    let closes = hoursReader.required("closes") { readTime($0) }
                    guard let opens, let closes else { return nil }
                    guard opens < closes else {
                        hoursField.report(.invalidValue, "closes must be after opens on the same day")
                        return nil
                    }
                    return (opens, closes)
                }
            }
            let holidays = reader.optional("holidays") { $0.list { readDate($0) } } ?? []
            guard let zone, let days, let hours else { return nil }
            return BusinessCalendar(id: id, timeZone: zone, workingDays: days, opens: hours.0, closes: hours.1, holidays: holidays)
        }
    }

    static func readTime(_ field: Field) -> LocalTime? {
        guard let text = field.string() else { return nil }
        guard let time = LocalTime(text) else {
            field.report(.invalidValue, "expected a time as HH:MM between 00:00 and 24:00")
            return nil
        }
        return time
    }

    static func readDate(_ field: Field) -> LocalDate? {
        guard let text = field.string() else { return nil }
        guard let date = LocalDate(text) else {
            field.report(.invalidValue, "expected a date as YYYY-MM-DD")
            return nil
        }
        return date
    }

    var configNode: ConfigNode {
        .mapping([
            ("time_zone", .string(timeZone.identifier)),
            ("working_days", .strings(workingDays.map(\.rawValue))),
            ("hours", .mapping([("opens", .string(opens.description)), ("closes", .string(closes.description))])),
            ("holidays", .strings(holidays.map(\.description))),
        ])
    }
}
