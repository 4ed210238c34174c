import Synchronization

/// The company records that one bulk writer has written, so that its later batches leave
/// out a company whose record repeats, field for field, the one it last wrote for that
/// domain, and link its leads by the id it already has.
///
/// Merging a record into its company is idempotent: written a second time, the same record
/// changes nothing, unless another writer changed the company in between, and then writing
/// it again would only undo that change with a repeat of what this writer had already said.
/// A record that differs in any field is written, and its fields win as any newer record's
/// do. An export names each account on many of its rows, and past the first one nearly all
/// of them are such repeats; each one cost the merge an index probe and a comparison.
///
/// A batch's companies count as written only once its transaction has committed
/// (``confirm()``): a company created by a transaction that rolled back does not exist, and
/// its id must never reach a later lead. Memory is bounded: past `capacity` companies the
/// writer forgets all of them and starts again, which costs only the skipped merges.
public final class WrittenCompanies: Sendable {
    private struct Written {
        let record: CompanyUpsert
        let id: Int64
    }

    private struct State {
        var confirmed: [String: Written] = [:]
        /// Written by the current transaction, not yet known to have committed.
        var pending: [Written] = []
    }

    private let state = Mutex(State())
    private let capacity: Int

    /// - Parameter capacity: how many companies are remembered at most.
    public init(capacity: Int = 1 << 15) {
        precondition(capacity > 0, "a writer remembers at least one company")
        self.capacity = capacity
    }

    /// How many companies are remembered as written and committed.
    var count: Int { state.withLock { $0.confirmed.count } }

    /// The business domains of `leads` whose company must be written: those with a lead
    /// whose company fields differ from the record last written and committed for the
    /// domain. For each of the others, whose every lead repeats that record, `ids` receives
    /// the company's id. Checked lead by lead, before any company record is built: in an
    /// export nearly every one is a repeat.
    func domainsToWrite(of leads: [LeadUpsert], ids: inout [String: Int64]) -> Set<String>? {
        state.withLock { state in
            guard !state.confirmed.isEmpty else { return nil }
            var toWrite = Set<String>()
            // Read in place: a lead taken out of the array is a copy, its strings retained.
            leads.withUnsafeBufferPointer { leads in
                for index in leads.indices where !leads[index].isFreeMail {
                    let domain = leads[index].emailDomain
                    if let written = state.confirmed[domain], written.record.isRepeated(by: leads[index]) {
                        ids[domain] = written.id
                    } else {
                        toWrite.insert(domain)
                    }
                }
            }
            // A domain with one differing lead is written whole, its repeats included.
            for domain in toWrite { ids[domain] = nil }
            return toWrite
        }
    }

    /// `companies` were written in the current transaction, with the ids in `ids`. Replaces
    /// what an earlier transaction wrote and never confirmed: it rolled back.
    func wrote(_ companies: [CompanyUpsert], ids: [String: Int64]) {
        let written = companies.compactMap { company in ids[company.domain].map { Written(record: company, id: $0) } }
        state.withLock { $0.pending = written }
    }

    /// The transaction that wrote the last batch of companies has committed.
    public func confirm() {
        state.withLock { state in
            if state.confirmed.count + state.pending.count > capacity { state.confirmed.removeAll(keepingCapacity: true) }
            for written in state.pending { state.confirmed[written.record.domain] = written }
            state.pending.removeAll(keepingCapacity: true)
        }
    }
}
