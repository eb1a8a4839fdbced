// Every text of the console in English and Chinese (the project's rule).
export const TEXT = {
  title: ['obdgw remote console', 'obdgw 远程诊断控制台'],
  disconnected: ['not connected', '未连接'],
  connected: ['connected', '已连接'],
  reconnecting: ['connection lost: reconnecting', '连接中断：正在重连'],
  metric: ['metric', '公制'],
  imperial: ['imperial', '英制'],
  login: ['Log in to the broker', '登录消息代理'],
  broker: ['Broker (WebSocket URL)', '消息代理（WebSocket 地址）'],
  user: ['Username', '用户名'],
  password: ['Password', '密码'],
  connect: ['Connect', '连接'],
  login_hint: ['Your broker login is your identity: the gateway answers you only on your own topics.',
    '您的消息代理登录即身份：网关只在您自己的主题上答复您。'],
  bays: ['Sites and bays', '站点与工位'],
  refresh: ['Refresh', '刷新'],
  site: ['site', '站点'],
  bay: ['bay', '工位'],
  state: ['state', '状态'],
  consent: ['your consent', '您的授权'],
  selected: ['Bay', '工位'],
  pids: ['PIDs', 'PID'],
  rate: ['rounds/s', '轮/秒'],
  start: ['Start live data', '开始实时数据'],
  pause: ['Pause', '暂停'],
  resume: ['Resume', '继续'],
  stop: ['Stop', '停止'],
  dtc: ['DTCs', '故障码'],
  freeze: ['Freeze frame', '冻结帧'],
  readiness: ['Readiness', '就绪状态'],
  mode06: ['Mode 06', '模式 06'],
  scan: ['Full scan', '完整扫描'],
  module: ['UDS module', 'UDS 模块'],
  uds: ['UDS DTCs', 'UDS 故障码'],
  roscans: ['RO scans', '工单扫描'],
  propose: ['Propose a clear (the bay confirms)', '提议清码（由工位确认）'],
  reason_ph: ['why the clear', '清码理由'],
  messages: ['Messages', '消息'],
  yes_until: ['yes, %s min left', '是，剩余 %s 分钟'],
  no: ['no', '否'],
  offline: ['offline', '离线'],
  no_answer: ['no answer from the gateway', '网关无应答'],
  choose_bay: ['choose a bay first', '请先选择工位'],
  refused: ['refused', '被拒绝'],
  streaming: ['streaming', '数据流进行中'],
  paused: ['paused (samples are not kept)', '已暂停（数据不保留）'],
  ended: ['ended', '已结束'],
  interrupted: ['interrupted: the broker connection was lost (nothing shown meanwhile)', '中断：与消息代理的连接丢失（期间无数据显示）'],
  not_saved: ['read from afar, not saved on the RO', '远程读取，未保存到工单'],
  stored: ['stored', '已存储'],
  pending: ['pending', '待定'],
  permanent: ['permanent', '永久'],
  mil: ['MIL', '故障灯'],
  on: ['on', '亮'],
  off: ['off', '灭'],
  proposal: ['proposal', '提议'],
  waiting: ['waiting for the bay to confirm', '等待工位确认'],
  confirmed: ['confirmed at the bay: clearing', '工位已确认：正在清码'],
  cleared: ['cleared', '已清码'],
  failed: ['the clear failed', '清码失败'],
  declined: ['declined at the bay', '工位已拒绝'],
  expired: ['expired unconfirmed: nothing was done', '未确认已过期：未执行任何操作'],
  login_failed: ['the broker refused the login', '消息代理拒绝登录'],
};

let lang = 'en';
export function setLang(l) { lang = l === 'zh' ? 'zh' : 'en'; }
export function getLang() { return lang; }
export function t(key, ...args) {
  const e = TEXT[key];
  let s = e ? e[lang === 'zh' ? 1 : 0] : key;
  for (const a of args) s = s.replace('%s', a);
  return s;
}
// A gateway text pair ({en, zh}) in the chosen language.
export function pick(o) { return o ? (lang === 'zh' ? o.zh || o.en : o.en || o.zh) || '' : ''; }
