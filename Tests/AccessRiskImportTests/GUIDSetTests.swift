import AccessRiskTestSupport
import Testing

@testable import AccessRiskImport

/// The plain computation the fast GUID parse replaces: every byte checked in order, digits accumulated one by one.
private func referenceGUID(_ bytes: [UInt8]) -> GUID? {
    guard bytes.count == 36 else { return nil }
    var high: UInt64 = 0
    var low: UInt64 = 0
    var digits = 0
    for (offset, b) in bytes.enumerated() {
        if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
            guard b == UInt8(ascii: "-") else { return nil }
            continue
        }
        let value: UInt8
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): value = b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): value = b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): value = b - UInt8(ascii: "A") + 10
        default: return nil
        }
        if digits < 16 { high = high << 4 | UInt64(value) } else { low = low << 4 | UInt64(value) }
        digits += 1
    }
    return GUID(high: high, low: low)
}

private func text(_ guid: GUID, upper: Bool = false) -> String {
    let hex =
        String(guid.high, radix: 16, uppercase: upper).leftPadded(16)
        + String(guid.low, radix: 16, uppercase: upper).leftPadded(16)
    let c = Array(hex)
    return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-"
        + String(c[20..<32])
}

extension String {
    fileprivate func leftPadded(_ n: Int) -> String { String(repeating: "0", count: n - count) + self }
}

@Suite("GUIDs parsed and de-duplicated without SipHash")
struct GUIDSetTests {
    @Test("the GUID parse agrees with the byte-by-byte one on valid ids and on every single-byte change")
    func parseMatchesReference() {
        var random = SeededGenerator(state: 42)
        var texts: [[UInt8]] = [
            Array("00000000-0000-0000-0000-000000000000".utf8), Array("ffffffff-ffff-ffff-ffff-ffffffffffff".utf8),
            Array("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF".utf8), Array("fb68d389-627e-4392-a4c5-08bf6bd7bf6".utf8),
            Array("fb68d389-627e-4392-a4c5-08bf6bd7bf688".utf8), [],
        ]
        for _ in 0..<200 {
            let guid = GUID(high: random.next(), low: random.next())
            texts.append(Array(text(guid, upper: random.next() & 1 == 0).utf8))
        }
        // Every byte value at a few positions (digits, dashes): bytes next to the digit and letter ranges, high bytes.
        let base = Array("0a1B2c3D-4e5F-6789-abcd-EF0123456789".utf8)
        for position in [0, 7, 8, 9, 13, 18, 22, 23, 35] {
            for b in 0...255 {
                var mutated = base
                mutated[position] = UInt8(b)
                texts.append(mutated)
            }
        }
        for bytes in texts {
            let fast = bytes.withUnsafeBufferPointer { GUID.parse($0) }
            #expect(fast == referenceGUID(bytes), "\(bytes)")
            // In braces too; a lone brace is not a GUID.
            let braced = [UInt8(ascii: "{")] + bytes + [UInt8(ascii: "}")]
            #expect(braced.withUnsafeBufferPointer { Vocabulary.guid($0) } == referenceGUID(bytes))
            #expect(([UInt8(ascii: "{")] + bytes).withUnsafeBufferPointer { Vocabulary.guid($0) } == nil)
        }
    }

    @Test("the GUID of an id's last segment is the one of that segment as a Substring")
    func lastSegment() {
        let ids = [
            "/subscriptions/x/providers/Microsoft.Authorization/roleAssignments/99451047-6FA8-4435-AAE0-A888A979E0EE",
            "99451047-6fa8-4435-aae0-a888a979e0ee", "{99451047-6fa8-4435-aae0-a888a979e0ee}",
            "/a/{99451047-6fa8-4435-aae0-a888a979e0ee}//", "/a/99451047-6fa8-4435-aae0-a888a979e0ee/",
            "/a/99451047-6fa8-4435-aae0-a888a979e0ee/x", "", "/", "//", "{99451047-6fa8-4435-aae0-a888a979e0ee",
            "/a/{99451047-6fa8-4435-aae0-a888a979e0e}}", "é/99451047-6fa8-4435-aae0-a888a979e0ee",
        ]
        for id in ids {
            // The reference: the segment as the String API finds it, then its bytes.
            let segment = Array(id[id.lastPathSegmentRange].utf8)
            #expect(
                Vocabulary.guid(lastSegmentOf: id) == segment.withUnsafeBufferPointer { Vocabulary.guid($0) }, "\(id)")
        }
        #expect(Vocabulary.guid(lastSegmentOf: ids[0]) != nil)
    }

    @Test("the set agrees with Set<GUID> through growth, duplicates, the zero GUID and clustered ids")
    func matchesSet() {
        var random = SeededGenerator(state: 7)
        for presize in [0, 50_000] {
            let set = GUIDSet(expecting: presize)
            var plain = Set<GUID>()
            let startCapacity = set.capacity
            var guids: [GUID] = [GUID(high: 0, low: 0), GUID(high: 0, low: 1), GUID(high: 1, low: 0)]
            for i in 0..<30_000 {
                // Random ids, and ids that differ only in one half (the same high or the same low word).
                switch i % 3 {
                case 0: guids.append(GUID(high: random.next(), low: random.next()))
                case 1: guids.append(GUID(high: 0x1234, low: UInt64(i)))
                default: guids.append(GUID(high: UInt64(i) << 40, low: 0xFFFF))
                }
                // Repeats of earlier ids, near and far.
                if i % 5 == 0 { guids.append(guids[Int(random.next() % UInt64(guids.count))]) }
            }
            for guid in guids {
                #expect(set.insert(guid) == plain.insert(guid).inserted)
                #expect(set.count == plain.count)
            }
            if presize == 0 { #expect(set.capacity > startCapacity) } else { #expect(set.capacity == startCapacity) }
            #expect(set.capacity >= 2 * set.count)
            for guid in guids { #expect(set.contains(guid)) }
            for _ in 0..<1000 {
                let other = GUID(high: random.next(), low: random.next())
                #expect(set.contains(other) == plain.contains(other))
            }
            #expect(!set.contains(GUID(high: 2, low: 2)))
        }
    }

    @Test("reserving room keeps every id found and adds none")
    func reserveKeepsEntries() {
        let set = GUIDSet()
        let guids = (1...1000).map { GUID(high: UInt64($0), low: UInt64($0) &* 0x9E37_79B9) }
        for guid in guids { #expect(set.insert(guid)) }
        set.reserveCapacity(100_000)
        #expect(set.count == guids.count)
        for guid in guids {
            #expect(set.contains(guid))
            #expect(!set.insert(guid))
        }
        #expect(!set.contains(GUID(high: 0, low: 0)))
        #expect(set.insert(GUID(high: 0, low: 0)))
        #expect(!set.insert(GUID(high: 0, low: 0)))
        #expect(set.count == guids.count + 1)
    }
}
