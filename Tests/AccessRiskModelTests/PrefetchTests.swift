import Testing

@testable import AccessRiskModel

/// The prefetch addresses are worked out from the layouts of `Assignment`, `Scope` and `String`: they must be the
/// very bytes a pass over the assignments reads, or the hints load the wrong lines and the speed-up is lost.
@Suite("Assignment prefetch addresses")
struct PrefetchTests {
    @Test func layoutsAreFound() throws {
        #expect(AssignmentPrefetch.scopeOffset != nil)
        #expect(AssignmentPrefetch.idWordOffset != nil)
        #expect(AssignmentPrefetch.textWordOffsets != nil)
    }

    /// An assignment's role words are equal exactly when its role texts are the same strings: shared strings give
    /// equal words, other texts (or no id) other words.
    @Test func roleWordsTellTheSameStrings() throws {
        let name = "Storage Blob Data Reader"
        let id = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
        func assignment(_ name: String, _ id: String?) -> Assignment {
            Assignment(principalId: "p", principalType: .user, roleId: id, roleName: name, scope: .root)
        }
        let assignments = [
            assignment(name, id), assignment(name, id), assignment(name, nil), assignment("Reader", id),
            assignment(name, "ba92f5b4-2d11-453d-a403-e96b0029c9ff"), assignment("Reader", id),
        ]
        let words = try assignments.withUnsafeBufferPointer { buffer in
            try buffer.indices.map { try #require(AssignmentWords.role(of: buffer.baseAddress! + $0)) }
        }
        #expect(words[0] == words[1])
        #expect(words[0] != words[2] && words[0] != words[3] && words[0] != words[4])
        // A short text is held in its words: the same text in another string has the same words.
        #expect(words[3] == words[5])
        withUnsafeBytes(of: name) { nameBytes in
            #expect(words[0][0] == nameBytes.load(as: UInt64.self))
            #expect(words[0][1] == nameBytes.load(fromByteOffset: 8, as: UInt64.self))
        }
    }

    @Test func addressesAreThoseOfTheTextsRead() throws {
        var a = Assignment(
            principalId: "p", principalType: .user, roleName: "Reader",
            scope: Scope("/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/RG-Prefetch-Test"))
        a.id = a.scope.key + Assignment.armIdInfix + "99451047-6fa8-4435-aae0-a888a979e0ee"
        let assignments = [a]
        let scopeOffset = try #require(AssignmentPrefetch.scopeOffset)
        let words = try #require(AssignmentPrefetch.textWordOffsets)
        let idOffset = try #require(AssignmentPrefetch.idWordOffset)
        assignments.withUnsafeBufferPointer { buffer in
            let element = UnsafeRawPointer(buffer.baseAddress!)
            let storage = element.load(fromByteOffset: scopeOffset, as: UInt.self)
            #expect(storage == UInt(bitPattern: Unmanaged.passUnretained(buffer[0].scope.storage).toOpaque()))
            let object = UnsafeRawPointer(bitPattern: storage)!
            var original = buffer[0].scope.original
            var key = buffer[0].scope.key
            var id = buffer[0].storedId!
            #expect(
                AssignmentPrefetch.textAddress(objectWord: object.load(fromByteOffset: words.original, as: UInt64.self))
                    == original.withUTF8 { UnsafeRawPointer($0.baseAddress!) })
            #expect(
                AssignmentPrefetch.textAddress(objectWord: object.load(fromByteOffset: words.key, as: UInt64.self))
                    == key.withUTF8 { UnsafeRawPointer($0.baseAddress!) })
            #expect(
                AssignmentPrefetch.textAddress(objectWord: element.load(fromByteOffset: idOffset, as: UInt64.self))
                    == id.withUTF8 { UnsafeRawPointer($0.baseAddress!) })
        }
        // Past the end, nothing is read.
        assignments.withUnsafeBufferPointer { buffer in
            AssignmentPrefetch.scope(of: buffer, at: 5)
            AssignmentPrefetch.texts(of: buffer, at: 1)
        }
    }
}
