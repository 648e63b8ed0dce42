/// The sensitive-data, access-to-sensitive-data and AWS rules, in catalogue order.
enum DataRuleList {
    static let all: [any Rule.Type] = []
}
