import { gini, mean, median, tiers, topCount, topShare } from './truth-stats';

describe('ground-truth statistics', () => {
  it('median: the middle value, or the mean of the two middle values; null when empty', () => {
    expect(median([])).toBeNull();
    expect(median([7])).toBe(7);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([0, 0, 0, 10])).toBe(0);
  });

  it('mean, null when empty', () => {
    expect(mean([])).toBeNull();
    expect(mean([1, 2, 3, 4])).toBe(2.5);
  });

  it('gini: 0 when equal, (n-1)/n when one member made everything, null when nobody did', () => {
    expect(gini([])).toBeNull();
    expect(gini([0, 0, 0])).toBeNull();
    expect(gini([3, 3, 3, 3])).toBeCloseTo(0, 12);
    expect(gini([0, 0, 0, 10])).toBeCloseTo(3 / 4, 12);
    expect(gini([5])).toBeCloseTo(0, 12);
    // Worked example: x = 1, 2, 3, 4 → Σ i·x = 30, G = 60 / 40 − 5/4 = 0.25.
    expect(gini([4, 1, 3, 2])).toBeCloseTo(0.25, 12);
    // The order of the input does not matter, zeros count.
    expect(gini([0, 9, 1, 0, 0])).toBeCloseTo(gini([9, 1, 0, 0, 0])!, 12);
  });

  it('topCount is ceil(n·p/100) in exact integer arithmetic', () => {
    expect(topCount(0, 1)).toBe(0);
    expect(topCount(1, 1)).toBe(1);
    expect(topCount(100, 1)).toBe(1);
    expect(topCount(101, 1)).toBe(2);
    expect(topCount(700, 1)).toBe(7);
    expect(topCount(70, 10)).toBe(7);
    expect(topCount(71, 10)).toBe(8);
  });

  it('topShare: the share of the top ceil(n·p/100) members; ties at the cut do not matter', () => {
    expect(topShare([], 1)).toBeNull();
    expect(topShare([0, 0], 10)).toBeNull();
    // n = 10: the top 1% and the top 10% are both one member.
    expect(topShare([10, 5, 5, 0, 0, 0, 0, 0, 0, 0], 1)).toBe(0.5);
    expect(topShare([10, 5, 5, 0, 0, 0, 0, 0, 0, 0], 10)).toBe(0.5);
    // Two members tied at the cut: whichever is taken, the sum is the same.
    expect(topShare([5, 5, 0, 0, 0, 0, 0, 0, 0, 0], 10)).toBe(0.5);
    // n = 20: the top 10% are two members.
    const twenty = [8, 6, 4, 2, ...Array(16).fill(0)];
    expect(topShare(twenty, 10)).toBe(14 / 20);
  });

  it('tiers: fewer than ceil(n/100) ahead is a superuser, fewer than ceil(n/10) a contributor', () => {
    const counts = [50, 20, 20, 9, 3, ...Array(195).fill(0)]; // n = 200: cuts at 2 and 20 ahead
    const tier = tiers(counts);
    expect(tier(50)).toBe('superuser'); // nobody ahead
    expect(tier(20)).toBe('superuser'); // one ahead (< 2); both tied members share the tier
    expect(tier(9)).toBe('contributor'); // three ahead
    expect(tier(3)).toBe('contributor');
    const small = tiers([4, 1, 1, 0]); // n = 4: cuts at 1 and 1 ahead
    expect(small(4)).toBe('superuser');
    expect(small(1)).toBe('other');
  });
});
