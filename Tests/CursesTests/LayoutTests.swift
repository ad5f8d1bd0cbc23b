import Testing
@testable import Curses

@Suite struct LayoutTests {
    @Test func headerBodyFooterSplitsVertically() {
        let parts = Layout.split(Rect(width: 80, height: 24), direction: .vertical,
                                 constraints: [.length(1), .fill(1), .length(1)])
        #expect(parts == [
            Rect(x: 0, y: 0, width: 80, height: 1),
            Rect(x: 0, y: 1, width: 80, height: 22),
            Rect(x: 0, y: 23, width: 80, height: 1),
        ])
    }

    @Test func percentageAndFillSplitHorizontally() {
        let parts = Layout.split(Rect(x: 5, y: 2, width: 100, height: 10), direction: .horizontal,
                                 constraints: [.percentage(30), .fill(1)])
        #expect(parts.map(\.width) == [30, 70])
        #expect(parts.map(\.x) == [5, 35])
        #expect(parts.allSatisfy { $0.y == 2 && $0.height == 10 })
    }

    @Test func fillsShareLeftoverByWeight() {
        let parts = Layout.split(Rect(width: 30, height: 1), direction: .horizontal,
                                 constraints: [.fill(1), .fill(2)])
        #expect(parts.map(\.width) == [10, 20])
    }

    @Test func minGrowsWhenThereIsNoFill() {
        let parts = Layout.split(Rect(width: 40, height: 1), direction: .horizontal,
                                 constraints: [.min(10), .length(5)])
        #expect(parts.map(\.width) == [35, 5])
    }

    @Test func maxGrowsOnlyToItsCap() {
        let parts = Layout.split(Rect(width: 40, height: 1), direction: .horizontal,
                                 constraints: [.max(10), .length(5)])
        #expect(parts.map(\.width) == [10, 5])
    }

    @Test func percentagesAddingToAHundredUseEveryColumn() {
        let parts = Layout.split(Rect(width: 11, height: 1), direction: .horizontal,
                                 constraints: [.percentage(50), .percentage(50)])
        #expect(parts.map(\.width).reduce(0, +) == 11)
    }

    @Test func spacingLeavesGapsBetweenSegments() {
        let parts = Layout.split(Rect(width: 21, height: 1), direction: .horizontal,
                                 constraints: [.fill(1), .fill(1)], spacing: 1)
        #expect(parts.map(\.width) == [10, 10])
        #expect(parts.map(\.x) == [0, 11])
    }

    @Test func tooLittleSpaceShrinksInProportion() {
        let parts = Layout.split(Rect(width: 20, height: 5), direction: .vertical,
                                 constraints: [.length(3), .fill(1), .length(3)])
        #expect(parts.map(\.height).reduce(0, +) == 5)
        #expect(parts.allSatisfy { $0.height >= 0 })
    }

    @Test(arguments: [(20, 5), (1, 1), (0, 0), (3, 2), (7, 1)])
    func tinyRectsNeverYieldNegativeOrOverflowingSegments(width: Int, height: Int) {
        let constraintSets: [[Constraint]] = [
            [.length(1), .fill(1), .length(1)],
            [.percentage(30), .percentage(70)],
            [.min(10), .max(4), .fill(2), .length(3)],
            [.length(100), .percentage(150), .min(-5), .fill(0)],
            [.fill(1)],
        ]
        let rect = Rect(x: 2, y: 3, width: width, height: height)
        for constraints in constraintSets {
            for direction in [Direction.horizontal, .vertical] {
                for spacing in [0, 1, 4] {
                    let parts = Layout.split(rect, direction: direction, constraints: constraints, spacing: spacing)
                    #expect(parts.count == constraints.count)
                    #expect(parts.allSatisfy { $0.width >= 0 && $0.height >= 0 })
                    #expect(parts.allSatisfy { $0.isEmpty || rect.intersection($0) == $0 })
                    let total = direction == .horizontal ? parts.map(\.width).reduce(0, +) : parts.map(\.height).reduce(0, +)
                    #expect(total <= (direction == .horizontal ? width : height))
                }
            }
        }
    }

    @Test func noConstraintsGiveNoSegments() {
        #expect(Layout.split(Rect(width: 10, height: 10), direction: .vertical, constraints: []).isEmpty)
    }

    @Test func rectHelpersStayInside() {
        let r = Rect(x: 1, y: 1, width: 10, height: 4)
        #expect(r.inset(by: 1) == Rect(x: 2, y: 2, width: 8, height: 2))
        #expect(r.inset(by: 5).width >= 0 && r.inset(by: 5).height >= 0)
        #expect(r.intersection(Rect(x: 20, y: 20, width: 3, height: 3)).isEmpty)
        #expect(r.centered(width: 4, height: 2) == Rect(x: 4, y: 2, width: 4, height: 2))
        #expect(Rect(width: -3, height: 2).width == 0)
    }
}
