import AccessRiskModel
import Testing

@testable import AccessRiskRules

/// The pairwise shortcut of `redundant-assignment` rules out only holders none of whose scopes covers another.
@Suite("Redundant assignment: pairwise shortcut")
struct RedundantAssignmentShortcutTests {
    @Test func scopesThatMayCoverAnother() {
        let none: (String) -> Bool = { _ in false }
        #expect(!RedundantAssignmentRule.mayCover(["/subscriptions/a/x", "/subscriptions/b"], isParent: none))
        #expect(RedundantAssignmentRule.mayCover(["/subscriptions/a/x", "/subscriptions/a"], isParent: none))
        // A byte prefix that is not a path prefix still asks the exact check.
        #expect(RedundantAssignmentRule.mayCover(["/subscriptions/ab", "/subscriptions/a"], isParent: none))
        #expect(!RedundantAssignmentRule.mayCover(["/subscriptions/a", "/subscriptions/a"], isParent: none))
        #expect(RedundantAssignmentRule.mayCover(["/", "/subscriptions/a"], isParent: none))
        #expect(RedundantAssignmentRule.mayCover(["/mg", "/subscriptions/a"], isParent: { $0 == "/mg" }))
    }
}
