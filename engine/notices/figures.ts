// The figures behind a refusal or termination, as printed on its notice (docs/policy.md §2.6): the assessment's own
// comparisons, so the applicant sees the numbers the office decided on.
import type { Criterion } from '../../domain/assessment';

const LABELS: Record<string, (v: Criterion['values']) => string> = {
  'dibao.income': (v) => `家庭月人均收入${v.perCapitaMonthlyIncome}元，当地低保标准${v.dibaoStandard}元/人/月`,
  'dibao.assets.deposits': (v) => `家庭存款人均${v.depositsPerCapita}元，限额${v.limitPerCapita}元/人`,
  'dibao.assets.vehicles': (v) => `家庭机动车${v.vehicles}辆，限${v.maxVehicles}辆`,
  'dibao.assets.extraHousing': (v) => `第二套及以上住房${v.extraHousing}套，限${v.maxExtraHousing}套`,
  'dibao.assets.businessAssets': (v) => `经营性资产${v.businessAssets}元，限额${v.limit}元`,
  'edge.income': (v) => `低保边缘家庭收入线${v.edgeLine}元/人/月`,
};

/** One line per comparison: the income test always, the asset and edge tests where they failed. */
export function assessmentFigures(assessment: { criteria?: Criterion[] } | null | undefined): string[] {
  const criteria = assessment?.criteria ?? [];
  return criteria
    .filter((c) => LABELS[c.id] && (c.id === 'dibao.income' || !c.passed))
    .map((c) => LABELS[c.id](c.values));
}

const CATEGORY_LABELS: Record<string, string> = {
  DIBAO: '最低生活保障',
  TEKUN: '特困人员救助供养',
  DIBAO_EDGE: '低保边缘家庭认定',
  RIGID_EXPENDITURE: '刚性支出困难家庭认定',
  OTHER_HARDSHIP: '其他困难人员认定',
};

export function terminationFigures(category: string, monthlyAmount: number): string[] {
  return [`原享受${CATEGORY_LABELS[category] ?? category}，月救助金${monthlyAmount.toFixed(2)}元`];
}

/** The measures every decision of this system rests on (docs/policy.md Conventions). */
export const LEGAL_BASIS = {
  REFUSAL:
    '《社会救助暂行办法》、《最低生活保障审核确认办法》（民发〔2021〕57号）、《特困人员认定办法》（民发〔2021〕43号）、' +
    '《新乡县人民政府办公室关于加强低收入人口动态监测做好分层分类社会救助工作的实施方案》（新政办〔2024〕22号）一（二）',
  TERMINATION:
    '《社会救助暂行办法》、《最低生活保障审核确认办法》（民发〔2021〕57号）、《特困人员认定办法》（民发〔2021〕43号）、' +
    '《新乡县人民政府办公室关于加强低收入人口动态监测做好分层分类社会救助工作的实施方案》（新政办〔2024〕22号）一（二）、二（四）',
} as const;
