/**
 * Office blood-pressure category under the clinic's guideline (chosen by IT's policy):
 *
 * - ACC/AHA 2017 (Whelton et al., Hypertension 2018;71:e13): normal < 120 and < 80; elevated 120–129
 *   and < 80; stage 1 130–139 or 80–89; stage 2 ≥ 140 or ≥ 90; severe (hypertensive crisis range)
 *   > 180 and/or > 120.
 * - ESC/ESH 2023 (Mancia et al., J Hypertens 2023;41:1874): optimal < 120 and < 80; normal 120–129
 *   and/or 80–84; high normal 130–139 and/or 85–89; grade 1 140–159 and/or 90–99; grade 2 160–179
 *   and/or 100–109; grade 3 ≥ 180 and/or ≥ 110. Isolated systolic hypertension: ≥ 140 and < 90.
 *
 * When systolic and diastolic fall in different categories the higher one applies (both guidelines say so).
 */
import type { FlagLevel, GuidelineFlag } from './flag';

export const BP_GUIDELINES = ['acc-aha-2017', 'esc-esh-2023'] as const;
export type BpGuideline = (typeof BP_GUIDELINES)[number];
export const DEFAULT_BP_GUIDELINE: BpGuideline = 'acc-aha-2017';

export const BP_GUIDELINE_NAMES: Readonly<Record<BpGuideline, string>> = {
  'acc-aha-2017': 'ACC/AHA 2017',
  'esc-esh-2023': 'ESC/ESH 2023',
};

interface Band {
  category: string;
  level: FlagLevel;
  /** Lowest systolic in this band (inclusive); the band above starts where this one ends. */
  systolicFrom: number;
  diastolicFrom: number;
  /** The band starts strictly above its `from` values ("> 180"), not at them. */
  above?: boolean;
  /** The rule as said to the clinician. */
  systolicRule: string;
  diastolicRule: string;
}

// Ordered from the lowest band up.
const ACC_AHA_2017: readonly Band[] = [
  {
    category: 'Normal',
    level: 'normal',
    systolicFrom: 0,
    diastolicFrom: 0,
    systolicRule: 'systolic below 120',
    diastolicRule: 'diastolic below 80',
  },
  {
    category: 'Elevated',
    level: 'info',
    systolicFrom: 120,
    diastolicFrom: Infinity,
    systolicRule: 'systolic 120–129 with diastolic below 80',
    diastolicRule: '',
  },
  {
    category: 'Stage 1 hypertension',
    level: 'amber',
    systolicFrom: 130,
    diastolicFrom: 80,
    systolicRule: 'systolic 130–139',
    diastolicRule: 'diastolic 80–89',
  },
  {
    category: 'Stage 2 hypertension',
    level: 'amber',
    systolicFrom: 140,
    diastolicFrom: 90,
    systolicRule: 'systolic 140 or more',
    diastolicRule: 'diastolic 90 or more',
  },
  {
    category: 'Severe hypertension (over 180/120)',
    level: 'red',
    systolicFrom: 180,
    diastolicFrom: 120,
    above: true,
    systolicRule: 'systolic above 180',
    diastolicRule: 'diastolic above 120',
  },
];

const ESC_ESH_2023: readonly Band[] = [
  {
    category: 'Optimal',
    level: 'normal',
    systolicFrom: 0,
    diastolicFrom: 0,
    systolicRule: 'systolic below 120',
    diastolicRule: 'diastolic below 80',
  },
  {
    category: 'Normal',
    level: 'normal',
    systolicFrom: 120,
    diastolicFrom: 80,
    systolicRule: 'systolic 120–129',
    diastolicRule: 'diastolic 80–84',
  },
  {
    category: 'High normal',
    level: 'info',
    systolicFrom: 130,
    diastolicFrom: 85,
    systolicRule: 'systolic 130–139',
    diastolicRule: 'diastolic 85–89',
  },
  {
    category: 'Grade 1 hypertension',
    level: 'amber',
    systolicFrom: 140,
    diastolicFrom: 90,
    systolicRule: 'systolic 140–159',
    diastolicRule: 'diastolic 90–99',
  },
  {
    category: 'Grade 2 hypertension',
    level: 'amber',
    systolicFrom: 160,
    diastolicFrom: 100,
    systolicRule: 'systolic 160–179',
    diastolicRule: 'diastolic 100–109',
  },
  {
    category: 'Grade 3 hypertension',
    level: 'red',
    systolicFrom: 180,
    diastolicFrom: 110,
    systolicRule: 'systolic 180 or more',
    diastolicRule: 'diastolic 110 or more',
  },
];

const TABLES: Readonly<Record<BpGuideline, readonly Band[]>> = {
  'acc-aha-2017': ACC_AHA_2017,
  'esc-esh-2023': ESC_ESH_2023,
};

function bandIndex(bands: readonly Band[], value: number, from: (b: Band) => number): number {
  let index = 0;
  bands.forEach((b, i) => {
    if (b.above ? value > from(b) : value >= from(b)) index = i;
  });
  return index;
}

/** The category of one systolic/diastolic pair (mmHg) under a guideline, with the rule that put it there. */
export function classifyBloodPressure(
  systolic: number,
  diastolic: number,
  guideline: BpGuideline = DEFAULT_BP_GUIDELINE,
): GuidelineFlag {
  const bands = TABLES[guideline];
  const bySystolic = bandIndex(bands, systolic, (b) => b.systolicFrom);
  const byDiastolic = bandIndex(bands, diastolic, (b) => b.diastolicFrom);
  const index = Math.max(bySystolic, byDiastolic);
  const band = bands[index]!;
  const parts: string[] = [];
  if (bySystolic === index && band.systolicRule) parts.push(band.systolicRule);
  if (byDiastolic === index && band.diastolicRule) parts.push(band.diastolicRule);
  let category = band.category;
  // ESC/ESH grade isolated systolic hypertension by the systolic value; say it, the treatment differs.
  if (guideline === 'esc-esh-2023' && systolic >= 140 && diastolic < 90) category += ', isolated systolic';
  return {
    subject: 'bloodPressure',
    guideline: BP_GUIDELINE_NAMES[guideline],
    category,
    rule: parts.join(' and ') || band.systolicRule,
    level: band.level,
  };
}
