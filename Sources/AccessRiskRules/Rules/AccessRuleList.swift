/// The over-privilege and stale/orphaned-access rules, in catalogue order.
enum AccessRuleList {
    static let all: [any Rule.Type] = []
}
