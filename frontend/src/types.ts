// The household as `auto_home/subscribe` sends it (protocol v1): times in Unix
// seconds, temperatures in °C, weights in kg, members and chores by subentry id.

export type Site = "oral" | "ear" | "forehead" | "axillary" | "rectal";
export const SITES: readonly Site[] = ["oral", "ear", "forehead", "axillary", "rectal"];

export type TemperatureClass =
  | "normal"
  | "low_grade"
  | "fever"
  | "high_fever"
  | "hyperpyrexia"
  | "hypothermia";

export interface Thresholds {
  low_grade: number;
  fever: number;
  high_fever: number;
  hyperpyrexia: number;
  hypothermia: number;
}

export interface Temperature {
  at: number;
  c: number;
  site: Site;
  core: number;
  class: TemperatureClass;
  urgent: boolean;
}

/** [at, core °C, measured °C, site] */
export type EpisodeReading = [number, number, number, Site];

export interface Dose {
  at: number;
  medicine: string;
  name: string;
  amount: number;
  unit: string;
}

export interface Episode {
  start: number;
  peak: number;
  peak_at: number;
  class: TemperatureClass;
  ends: number | null;
  check: number | null;
  readings: EpisodeReading[];
  doses: Dose[];
}

export interface Forecast {
  at: number;
  kg: number;
  low: number;
  high: number;
}

export type GoalReason = "no_goal" | "not_enough_data" | "reached" | "too_slow" | "moving_away";

export interface Weight {
  at: number;
  kg: number;
  trend: number;
  week: number | null;
  spark: [number, number][];
  forecast: Forecast | null;
  goal: number | null;
  goal_date: string | null;
  goal_reason: GoalReason | null;
  bmi: number | null;
}

export interface Member {
  name: string;
  person: string | null;
  user: string | null;
  device: string | null;
  private: boolean;
  away: boolean;
  due: number;
  temp?: Temperature | null;
  episode?: Episode | null;
  weight?: Weight | null;
}

export type ChoreStatus = "upcoming" | "due" | "overdue" | "done";

export interface Chore {
  name: string;
  assignee: string | null;
  due: number;
  all_day: boolean;
  status: ChoreStatus;
  overdue_days: number;
  snoozed: number | null;
  last: number | null;
  by: string | null;
}

export interface HeldReading {
  id: string;
  kg: number;
  at: number;
  source: string | null;
}

export interface Viewer {
  admin: boolean;
  member: string | null;
  scope: "all" | "own";
  discard: boolean;
}

export interface Household {
  v: number;
  entry_id: string;
  title: string;
  now: number;
  viewer: Viewer;
  thresholds: Thresholds;
  order: string[];
  members: Record<string, Member>;
  chores: Record<string, Chore>;
  upcoming: number;
  held: HeldReading[];
}

export interface Delta {
  now?: number;
  members?: Record<string, Partial<Member> | null>;
  order?: string[];
  chores?: Record<string, Chore | null>;
  upcoming?: number;
  held?: HeldReading[];
  viewer?: Viewer;
  thresholds?: Thresholds;
  title?: string;
}

/** `closed`: the household unloaded (a reload); the card subscribes again. */
export type HouseholdEvent = { snapshot: Household } | { delta: Delta } | { closed: true };

export type Section = "temperature" | "weight" | "chores" | "held";
export const SECTIONS: readonly Section[] = ["temperature", "weight", "chores", "held"];

export interface CardConfig {
  type: string;
  title?: string;
  entry_id?: string;
  /** Member ids to show; none or empty: every member. */
  members?: string[];
  /** Sections to show; none: all. */
  sections?: Section[];
}

/** The parts of the frontend's `hass` object the card uses. */
export interface HomeAssistant {
  language: string;
  locale?: { language?: string; time_zone?: string };
  themes?: { darkMode?: boolean };
  config: {
    time_zone: string;
    unit_system: { temperature: string; mass: string };
  };
  user?: { id: string; is_admin: boolean };
  connection: {
    subscribeMessage<T>(
      callback: (message: T) => void,
      message: Record<string, unknown>,
    ): Promise<() => Promise<void>>;
  };
  callService(
    domain: string,
    service: string,
    data: Record<string, unknown>,
  ): Promise<unknown>;
}
