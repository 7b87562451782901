// The assessment (domain/assessment.ts) criterion by criterion in Chinese: each criterion's id names the rule, its
// values the numbers compared, so a reviewer can check the sum by hand. Unknown ids fall back to the English text.
import { CATEGORY_ZH, DISABILITY_ZH, RETURN_RISK_ZH, STUDENT_LEVEL_ZH } from '../../../domain/glossary-zh';
import type { Criterion } from '../api/types';

type V = Criterion['values'];
const y = (n: unknown) => `${Number(n ?? 0).toFixed(2)} 元`;

const CARE_ZH: Record<string, string> = { SELF_CARE: '生活自理', PARTIAL_CARE: '部分失能', FULL_CARE: '完全失能' };
const CAPACITY_REASON_ZH: [RegExp, string][] = [
  [/aged 60 or over/, '年满60周岁'], [/under 16/, '未满16周岁'], [/has capacity to work/, '有劳动能力'],
  [/intellectual disability grade (\d)/, '智力残疾$1级'], [/mental disability grade (\d)/, '精神残疾$1级'],
  [/physical disability grade (\d)/, '肢体残疾$1级'], [/visual disability grade 1/, '视力残疾1级'],
];
const SUPPORTER_REASON_ZH: [RegExp, string][] = [
  [/is TEKUN/, '本人是特困人员'], [/DIBAO recipient aged 60/, '是60周岁以上低保对象'], [/aged 70 or over/, '70周岁以上且收入低于上年人均可支配收入'],
  [/severely disabled/, '重度残疾'], [/able to support/, '有赡养能力'],
];
const translate = (s: unknown, table: [RegExp, string][]) => {
  const text = String(s ?? '');
  for (const [re, zh] of table) {
    const m = re.exec(text);
    if (m) return m[0].replace(re, zh);
  }
  return text;
};

const ASSET_RULES: Record<string, (v: V, passed: boolean, label: string) => string> = {
  deposits: (v, p, l) => `人均存款 ${y(v.depositsPerCapita)}（共 ${y(v.deposits)}，${v.members} 人）${p ? '未超过' : '超过'}${l}人均存款上限 ${y(v.limitPerCapita)}`,
  vehicles: (v, p, l) => `机动车 ${v.vehicles} 辆${p ? '未超过' : '超过'}${l}上限 ${v.maxVehicles} 辆`,
  extraHousing: (v, p, l) => `第二套及以上住房 ${v.extraHousing} 套${p ? '未超过' : '超过'}${l}上限 ${v.maxExtraHousing} 套`,
  businessAssets: (v, p, l) => `经营性资产 ${y(v.businessAssets)}${p ? '未超过' : '超过'}${l}上限 ${y(v.limit)}`,
};

export function explainCriterion(c: Criterion, memberName: (memberId: string) => string = (m) => m): string {
  const v = c.values;
  const who = (id: unknown) => `成员${memberName(String(id))}`;
  const p = c.passed;
  const [group, rule, sub] = c.id.split('.');
  if (group === 'dibao' && rule === 'income') {
    return `家庭月人均收入 ${y(v.perCapitaMonthlyIncome)}（计入收入 ${y(v.countedMonthlyIncome)} ÷ ${v.members} 人）${p ? '低于' : '不低于'}低保标准 ${y(v.dibaoStandard)}`;
  }
  if ((group === 'dibao' || group === 'edge') && rule === 'assets' && sub && ASSET_RULES[sub]) {
    return ASSET_RULES[sub](v, p, group === 'dibao' ? '低保' : '低保边缘（刚性支出困难）');
  }
  if (group === 'income' && rule === 'exemption') {
    return `${who(v.memberId)} 的赡养费 ${y(v.monthlyAmount)}${p ? '不计入家庭收入' : '计入家庭收入'}（兄弟姐妹或60周岁以上人员给付成年重度残疾未就业者或在校学生的赡养费不计入）`;
  }
  if (group === 'tekun') {
    if (rule === 'noCapacity') return `${who(v.memberId)}（${v.age} 周岁）${p ? '无劳动能力' : '有劳动能力'}：${translate(v.reason, CAPACITY_REASON_ZH)}${v.disabilityCategory ? `（${DISABILITY_ZH[String(v.disabilityCategory)] ?? v.disabilityCategory}残疾${v.disabilityGrade}级）` : ''}`;
    if (rule === 'noMeansOfLiving') return `${p ? '无生活来源' : '有生活来源'}：人均收入${v.incomeBelowStandard ? '低于' : '不低于'}低保标准，财产${v.assetsWithinLimits ? '符合' : '不符合'}低保规定`;
    if (rule === 'supporter') return `法定赡养人 ${v.supporterId}（${v.age} 周岁）${p ? '无赡养能力' : '有赡养能力'}：${translate(v.reason, SUPPORTER_REASON_ZH)}`;
    if (rule === 'noAbleSupporter') return `${p ? '无' : '有'}具备赡养能力的法定赡养人（共 ${v.supporters} 人，有能力 ${v.ableSupporters} 人）`;
    if (rule === 'careLevel') return `${who(v.memberId)} 日常生活活动有 ${v.unableActivities} 项不能自理，护理等级：${CARE_ZH[String(v.careLevel)] ?? v.careLevel}，护理标准 ${y(v.careStandard)}${v.dailyActivitiesRecorded ? '' : '（尚未调查，暂按生活自理）'}`;
    if (rule === 'amount') return `特困供养金额：${v.tekunMultiplier} × 低保标准 ${y(v.dibaoStandard)} + 护理标准，${v.coveredPersons} 人，合计每月 ${y(v.monthlyAmount)}`;
  }
  if (group === 'edge' && rule === 'income') {
    return `家庭月人均收入 ${y(v.perCapitaMonthlyIncome)}${p ? '低于' : '不低于'}低保边缘线 ${y(v.edgeLine)}（低保标准 ${y(v.dibaoStandard)} × ${v.edgeMultiplier}）`;
  }
  if (group === 'edge' && rule === 'notDibaoOrTekun') return p ? '不符合低保、特困条件' : '已符合低保或特困条件';
  if (group === 'singlePerson') {
    return `单人保：${who(v.memberId)}${v.severeDisability ? '重度残疾' : ''}${v.seriousIllness ? '患重病' : ''}，本人收入 ${y(v.ownMonthlyIncome)}，${v.householdIsEdge ? '家庭属低保边缘' : '家庭不属低保边缘'}，${p ? '单独纳入低保' : '不单独纳入低保'}`;
  }
  if (group === 'rigid' && rule === 'income') return `家庭年人均收入 ${y(v.perCapitaAnnualIncome)}${p ? '低于' : '不低于'}上年当地居民人均可支配收入 ${y(v.disposableIncomeLastYear)}`;
  if (group === 'rigid' && rule === 'expenditure') {
    return `近12个月医疗、教育、康复支出 ${y(v.spending12m)}${p ? '达到' : '未达到'}家庭年收入 ${y(v.annualHouseholdIncome)} 的 ${Number(v.rigidExpenditureRatio) * 100}%（${y(v.requiredSpending)}）`;
  }
  if (group === 'returnRisk') return `防止返贫监测户（${RETURN_RISK_ZH[String(v.returnRiskType)] ?? v.returnRiskType}），认定类别：${CATEGORY_ZH[String(v.category) as keyof typeof CATEGORY_ZH] ?? '无'}`;
  return c.description;
}

export const studentLevelZh = (s: string) => STUDENT_LEVEL_ZH[s] ?? s;
