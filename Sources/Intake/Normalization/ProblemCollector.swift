/// Collects a record's problems and warnings while its fields are checked one by one, so that
/// every problem is reported, not only the first.
struct ProblemCollector {
    var problems: [IntakeProblem] = []
    var warnings: [IntakeProblem] = []
    let maximumLength: Int

    mutating func reject(_ field: String, _ code: IntakeProblem.Code, _ reason: String) {
        problems.append(IntakeProblem(field: field, code: code, reason: reason))
    }

    mutating func warn(_ field: String, _ code: IntakeProblem.Code, _ reason: String) {
        warnings.append(IntakeProblem(field: field, code: code, reason: reason))
    }

    /// The trimmed text, or nil when empty; rejects text over the length limit.
    mutating func text(_ value: String?, _ field: String, maximumLength limit: Int? = nil) -> String? {
        guard let cleaned = FieldText.cleaned(value) else { return nil }
        let limit = limit ?? maximumLength
        // A scalar is at least one UTF-8 byte, so only long text needs counting.
        if cleaned.utf8.count > limit, cleaned.unicodeScalars.count > limit {
            reject(field, .tooLong, "longer than \(limit) characters")
        }
        return cleaned
    }

    /// A required, valid e-mail address.
    mutating func email(_ value: String?, _ field: String) -> EmailAddress? {
        guard let cleaned = text(value, field) else {
            reject(field, .missing, "required")
            return nil
        }
        guard let address = EmailAddress(cleaned) else {
            reject(field, .invalidEmail, "not a valid e-mail address")
            return nil
        }
        return address
    }
}
