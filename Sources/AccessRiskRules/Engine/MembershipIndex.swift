import AccessRiskModel
import Foundation

/// The memberships' part of the group expansion (``AccessAnalysis``): every group and member id numbered, each
/// group's direct members in id order, the member types the memberships state, and the direct-member and
/// member-type tables. It reads the memberships alone, so it can be made as soon as they are read, while the import
/// still reads the other files (``PreparedAnalysis``).
struct MembershipIndex: Sendable {
    typealias Tables = (members: [String: [String]], types: [String: PrincipalType])

    /// The memberships it was made from, kept: a model holding this same array holds these memberships, since a
    /// change to an array that is also held here copies it first.
    let memberships: [Membership]
    /// Every group id, then every member id, numbered in membership order.
    let ids: StringNumbering
    /// Per numbered id, its direct members' numbers in the order of their ids (`String <`).
    let adjacency: [[Int32]]
    /// Per numbered id, the first type (not unknown) a membership states for it as a member.
    let typeOf: [PrincipalType?]
    /// Per numbered id, its place in the order of the ids.
    let rank: [UInt32]
    private let madeTables: Tables?

    /// Indexes `memberships`; with `withTables`, makes the direct-member and member-type tables too (else they are
    /// made when asked for, see ``tables()``).
    init(_ memberships: [Membership], withTables: Bool = false) {
        self.memberships = memberships
        var ids = StringNumbering(expecting: memberships.count)
        let (groupOf, memberOf) = memberships.withUnsafeBufferPointer { buffer in
            (
                ids.numbers(of: buffer, \.groupId).map { Int32(bitPattern: $0) },
                ids.numbers(of: buffer, \.memberId).map { Int32(bitPattern: $0) }
            )
        }
        let count = ids.count
        let rank = ids.ranksInStringOrder()
        let byGroup = IndexLists(slotOfIndex: groupOf, slotCount: count)
        var adjacency = [[Int32]](repeating: [], count: count)
        for g in 0..<Int32(count) {
            let list = byGroup[g]
            guard !list.isEmpty else { continue }
            adjacency[Int(g)] = list.map { memberOf[Int($0)] }.sorted { rank[Int($0)] < rank[Int($1)] }
        }
        // Read in place: iterating by value copied every membership, retaining its two ids (a miss each).
        var typeOf = [PrincipalType?](repeating: nil, count: count)
        memberships.withUnsafeBufferPointer { buffer in
            for k in buffer.indices {
                if let t = buffer[k].memberType, t != .unknown, typeOf[Int(memberOf[k])] == nil {
                    typeOf[Int(memberOf[k])] = t
                }
            }
        }
        self.ids = ids
        self.adjacency = adjacency
        self.typeOf = typeOf
        self.rank = rank
        madeTables = withTables ? Self.tables(names: ids.distinct, adjacency: adjacency, typeOf: typeOf) : nil
    }

    /// Whether this was made from `memberships`: the same array, not only equal memberships (telling those apart
    /// would read them all).
    func isIndex(of memberships: [Membership]) -> Bool {
        guard self.memberships.count == memberships.count else { return false }
        return self.memberships.withUnsafeBufferPointer { mine in
            memberships.withUnsafeBufferPointer { theirs in mine.baseAddress == theirs.baseAddress }
        }
    }

    /// Direct members by group (sorted by id) and the member types memberships state.
    func tables() -> Tables {
        madeTables ?? Self.tables(names: ids.distinct, adjacency: adjacency, typeOf: typeOf)
    }

    private static func tables(names: [String], adjacency: [[Int32]], typeOf: [PrincipalType?]) -> Tables {
        var members: [String: [String]] = [:]
        var types: [String: PrincipalType] = [:]
        members.reserveCapacity(names.count)
        for n in names.indices {
            if !adjacency[n].isEmpty { members[names[n]] = adjacency[n].map { names[Int($0)] } }
            if let t = typeOf[n] { types[names[n]] = t }
        }
        return (members, types)
    }
}

/// Work of the analysis on parts of the model that are read before the rest, done while the rest is read:
/// ``prepare(_:)`` is handed each part as the import reads it (on the core that read it, while the other core
/// still reads the largest files), and ``RuleEngine/run(model:policy:asOf:rules:prepared:)`` uses what was
/// prepared from the very collections its model holds. Anything prepared from a collection the model does not
/// hold (the import rewrote it after, or it is another model) is worked out again.
///
/// What it prepares: the memberships' part of the group expansion.
public final class PreparedAnalysis: @unchecked Sendable {
    private let lock = NSLock()
    private var membershipIndex: MembershipIndex?

    public init() {}

    /// Prepares what can be from a part of the model (every collection of it read and in its final order). Safe to
    /// call from any thread.
    public func prepare(_ part: AccessModel) {
        guard !part.memberships.isEmpty else { return }
        let index = MembershipIndex(part.memberships, withTables: true)
        lock.withLock { membershipIndex = index }
    }

    /// The memberships' index, when one was prepared.
    var memberships: MembershipIndex? { lock.withLock { membershipIndex } }
}
