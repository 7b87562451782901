// The glossary's names in Chinese, as the people who run county social assistance read them. One table for the API
// (error messages, form titles in the JSON Schemas) and the console alike. Pure data, so the console's bundle carries
// no process code: task and deadline labels repeat those of processes/<name>/definition.ts, and
// test/unit/glossary-zh.test.ts keeps the two the same and complete.
import type { AssistanceCategory, Department, Role } from './glossary';

export const ROLE_ZH: Record<Role, string> = {
  caseworker: '乡镇经办人',
  village_assistant: '村（社区）协理员',
  reviewer: '乡镇审核人',
  county_officer: '县级审批人',
  supervisor: '督办人员',
  department: '部门人员',
  integrator: '对接系统',
  admin: '系统管理员',
};

export const DEPARTMENT_ZH: Record<Department, string> = {
  EDUCATION: '教育局',
  HUMAN_RESOURCES: '人社局',
  HOUSING: '住建局',
  AGRICULTURE: '农业农村局',
  HEALTH: '卫健委',
  EMERGENCY: '应急管理局',
  MEDICAL_INSURANCE: '医保局',
  DISABLED_FEDERATION: '残联',
  CIVIL_AFFAIRS: '民政局',
  COURT: '法院',
  TRADE_UNION: '总工会',
  FINANCE: '财政局',
};

export const CATEGORY_ZH: Record<AssistanceCategory, string> = {
  DIBAO: '低保',
  TEKUN: '特困',
  DIBAO_EDGE: '低保边缘',
  RIGID_EXPENDITURE: '刚性支出困难',
  OTHER_HARDSHIP: '其他困难',
};

export const TASK_TYPE_ZH: Record<string, string> = {
  accept: '受理',
  homeVisit: '入户调查',
  economicCheck: '家庭经济状况核对',
  firstReview: '初审',
  confirm: '审核确认',
  refusalNotice: '不予认定书面告知',
  annualRecheck: '年度复核',
  periodicCheck: '定期核查',
  changeReport: '家庭状况变化核查',
  terminate: '终止救助书面告知',
  justification: '事后补充说明',
  stagedAssistance: '分阶段救助审核',
  conferenceOpinion: '部门意见',
  caseConference: '一事一议决定',
  departmentTakeover: '部门接办反馈',
  warningVerification: '预警核实',
  departmentFeedback: '部门核查反馈',
};

/** Outcomes by name; a name means the same wherever it is allowed. */
export const OUTCOME_ZH: Record<string, string> = {
  ACCEPTED: '予以受理',
  RETURNED: '退回（一次性告知缺件）',
  DONE: '已完成',
  RECOMMEND_APPROVAL: '建议批准',
  RECOMMEND_REFUSAL: '建议不予批准',
  APPROVED: '批准',
  REFUSED: '不予批准',
  ISSUED: '已送达',
  KEEP: '维持',
  ADJUST: '调整金额',
  CHANGE_CATEGORY: '变更类别',
  TERMINATE: '终止救助',
  NO_FURTHER_HELP: '无需继续救助',
  REGULAR_ASSISTANCE: '转入常规救助',
  STAGED_ASSISTANCE: '分阶段救助',
  CASE_CONFERENCE: '提请一事一议',
  CONTINUE: '继续',
  CHANGE_AMOUNT: '调整金额',
  STOP: '停止',
  GIVEN: '已提出意见',
  RAISE_AMOUNT: '提高救助金额',
  DEPARTMENT_TAKES_OVER: '部门接手',
  NO_CHANGE: '不作调整',
  FALSE_ALARM: '误报（说明理由）',
  IMPLEMENTED: '已落实政策',
  TRANSFERRED: '转办（一门受理、协同办理）',
  PUSHED: '推送相关部门',
  APPLICATION_STARTED: '启动救助申请',
  RECIPIENT_CHECK: '启动对象核查',
  ASSISTED: '已予救助',
  NOT_APPLICABLE: '不符合本部门救助条件',
};

export const TASK_STATUS_ZH: Record<string, string> = { OPEN: '待办', COMPLETED: '已办结', CANCELLED: '已取消' };

export const CASE_STATUS_ZH: Record<string, string> = {
  SUBMITTED: '已申请',
  RETURNED: '已退回',
  IN_REVIEW: '调查审核中',
  IN_PUBLICITY: '公示中',
  AWAITING_DECISION: '待审批',
  APPROVED: '已批准',
  REFUSED: '不予批准',
  CLOSED: '已关闭',
  ACTIVE: '保障中',
  IN_CHECK: '核查中',
  TERMINATED: '已终止',
  ADVANCE_PAID: '已先行救助',
  JUSTIFIED: '已补充说明',
  IN_STAGES: '分阶段救助中',
  CONVENED: '议事中',
  DECIDED: '已决定',
  RAISED: '待核实',
  HANDLING: '处置中',
  DISMISSED: '误报已销号',
};

export const DEADLINE_KIND_ZH: Record<string, string> = {
  firstReviewOpinion: '初审意见时限',
  confirmation: '确认时限',
  wholeCase: '办理总时限',
  refusalNotice: '书面告知时限',
  annualRecheck: '年度复核时限',
  periodicCheck: '定期核查时限',
  changeCheck: '变化核查时限',
  terminationNotice: '终止告知时限',
  emergencyHandling: '急难处置时限',
  justification: '补充说明时限',
  stageReview: '阶段审核时限',
  conferenceOpinion: '部门意见时限',
  conferenceDecision: '一事一议决定时限',
  departmentTakeover: '部门接办反馈时限',
  warningVerification: '预警核实时限',
  departmentFeedback: '部门反馈时限',
};

export const DEADLINE_STATUS_ZH: Record<string, string> = {
  pending: '未到期',
  met: '已按期办结',
  overdue: '已超期',
  cancelled: '已取消',
};

export const PROCESS_ZH: Record<string, string> = {
  application: '低保特困认定申请',
  recipient: '救助对象',
  emergency: '急难社会救助',
  caseConference: '一事一议',
  warning: '预警处置',
};

export const STEP_ZH: Record<string, string> = {
  ...TASK_TYPE_ZH,
  submit: '申请',
  assess: '系统评估',
  publicity: '公示',
  enrol: '纳入保障',
  emergencyAdvance: '先行救助发放',
  departmentPush: '推送部门',
  warning: '监测预警',
  regularApplication: '转入常规救助申请',
  stagePayment: '分阶段发放',
  nextStage: '下一阶段',
  conferenceAction: '执行一事一议决定',
  reportDecision: '反馈决定',
  departmentTakeover: '部门接办反馈',
  openApplication: '启动救助申请',
  recipientCheck: '对象核查',
  closeWarning: '预警办结',
};

export const RESIDENCE_ZH: Record<string, string> = { URBAN: '城市', RURAL: '农村' };
export const RELATION_ZH: Record<string, string> = {
  APPLICANT: '申请人',
  SPOUSE: '配偶',
  CHILD: '子女',
  PARENT: '父母',
  SIBLING: '兄弟姐妹',
  GRANDCHILD: '孙子女',
  GRANDPARENT: '祖父母',
  OTHER: '其他',
};
export const LABOR_CAPACITY_ZH: Record<string, string> = {
  FULL: '有劳动能力',
  PARTIAL: '部分劳动能力',
  NONE: '无劳动能力',
};
export const STUDENT_LEVEL_ZH: Record<string, string> = {
  NONE: '非在校',
  PRIMARY: '小学',
  SECONDARY: '中学',
  VOCATIONAL: '职业学校',
  UNDERGRADUATE: '本科/专科',
  POSTGRADUATE: '研究生',
};
export const INCOME_KIND_ZH: Record<string, string> = {
  WAGES: '工资性收入',
  OPERATING: '经营净收入',
  PROPERTY: '财产净收入',
  TRANSFER: '转移净收入',
};
export const DISABILITY_ZH: Record<string, string> = {
  PHYSICAL: '肢体',
  VISUAL: '视力',
  HEARING: '听力',
  SPEECH: '言语',
  INTELLECTUAL: '智力',
  MENTAL: '精神',
  MULTIPLE: '多重',
};
export const SOURCE_ZH: Record<string, string> = {
  SELF_DECLARED: '本人申请',
  VISIT: '走访发现',
  DATA_MATCH: '数据比对',
};
export const RETURN_RISK_ZH: Record<string, string> = {
  UNSTABLE_OUT_OF_POVERTY: '脱贫不稳定户',
  EDGE_AT_RISK: '边缘易致贫户',
  SUDDEN_SEVERE_HARDSHIP: '突发严重困难户',
};
export const HOUSEHOLD_TYPE_ZH: Record<string, string> = { STABLE: '收入稳定户', UNSTABLE: '收入不稳定户' };

/**
 * Field names of the task data, the application and the household, in Chinese. The JSON Schemas the API hands out
 * carry these as `title`, so the console's generated forms and an integrator's tooling read the same words.
 */
export const FIELD_ZH: Record<string, string> = {
  effectiveOn: '办理日期（纸质办理在先时填写）',
  missingDocuments: '缺少的材料（一次性告知）',
  findings: '调查情况',
  household: '核实后的家庭经济状况',
  opinion: '意见',
  feedback: '接办情况反馈',
  category: '救助类别',
  monthlyAmount: '月救助金额（元）',
  deviationReason: '与评估结果不一致的理由',
  reasons: '理由',
  householdType: '家庭类型',
  newMonthlyAmount: '新的月救助金额（元）',
  reason: '理由',
  facts: '事实经过',
  amountPaid: '已发放金额（元）',
  evidence: '证明材料',
  stages: '分阶段救助计划',
  conference: '一事一议提请',
  proposal: '建议方案',
  departments: '参与部门',
  note: '备注',
  newAmount: '新的金额（元）',
  raisedAmount: '提高后的金额（元）',
  notes: '备注',
  department: '接手部门',
  residence: '户籍类型',
  members: '家庭成员',
  incomes: '收入',
  assets: '财产',
  rigidExpenditure12m: '近12个月刚性支出',
  legalSupporters: '法定赡养（抚养、扶养）人',
  returnRiskType: '返贫风险类型',
  memberId: '成员编号',
  relation: '与申请人关系',
  birthDate: '出生日期',
  laborCapacity: '劳动能力',
  disability: '残疾情况',
  seriousIllness: '患重病',
  studentLevel: '在校情况',
  employed: '就业',
  dailyActivities: '日常生活活动能力',
  kind: '收入类型',
  payer: '支付人',
  payerAge: '支付人年龄',
  deposits: '存款（元）',
  vehicles: '车辆数',
  vehicleValue: '车辆价值（元）',
  extraHousing: '第二套及以上住房数',
  businessAssets: '经营性资产（元）',
  medical: '医疗支出（元）',
  education: '教育支出（元）',
  rehabilitation: '康复支出（元）',
  supporterId: '赡养人编号',
  isTekun: '是特困人员',
  isDibaoRecipient: '是低保对象',
  age: '年龄',
  annualIncome: '年收入（元）',
  severeDisability: '重度残疾',
  grade: '等级',
  eating: '进食',
  dressing: '穿衣',
  transferring: '上下床',
  toileting: '如厕',
  walkingIndoors: '室内行走',
  bathing: '洗澡',
  amount: '金额（元）',
  month: '月份',
  attachmentId: '附件编号',
  fileName: '文件名',
  contentType: '文件类型',
  sizeBytes: '大小（字节）',
  sha256: '校验值',
  applicationCaseId: '救助申请案件编号',
  recipientId: '救助对象编号',
  checkId: '核查编号',
  assistanceKind: '救助类型',
};

/** Chinese for any enum value the console shows: one lookup over the tables above. */
/** Assistance reported by departments (domain/assistance.ts ASSISTANCE_KINDS). */
export const ASSISTANCE_KIND_ZH: Record<string, string> = {
  MEDICAL_SUBSIDY: '参保资助',
  MEDICAL_ASSISTANCE: '医疗救助',
  EDUCATION_AID: '教育救助',
  RENT_REDUCTION: '公租房租金减免',
  HOUSE_RENOVATION: '危房改造',
  EMPLOYMENT_SUPPORT: '就业帮扶',
  DISASTER_RELIEF: '受灾人员救助',
  CHARITY: '慈善帮扶',
};

export const VALUE_ZH: Record<string, string> = {
  ...CATEGORY_ZH,
  ...RESIDENCE_ZH,
  ...LABOR_CAPACITY_ZH,
  ...STUDENT_LEVEL_ZH,
  ...INCOME_KIND_ZH,
  ...DISABILITY_ZH,
  ...HOUSEHOLD_TYPE_ZH,
  ...DEPARTMENT_ZH,
  ...RELATION_ZH,
  ...SOURCE_ZH,
  ...RETURN_RISK_ZH,
  ...ASSISTANCE_KIND_ZH,
};
