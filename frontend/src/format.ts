// Numbers, units and times as the user reads them (their unit system, language, time zone).
import type { HomeAssistant } from "./types";

export const CELSIUS = "°C";
export const FAHRENHEIT = "°F";
export const KILOGRAMS = "kg";
export const POUNDS = "lb";
const KG_PER_LB = 0.45359237;

export function temperatureUnit(hass: HomeAssistant): string {
  return hass.config.unit_system.temperature === FAHRENHEIT ? FAHRENHEIT : CELSIUS;
}

export function weightUnit(hass: HomeAssistant): string {
  return hass.config.unit_system.mass === POUNDS ? POUNDS : KILOGRAMS;
}

export function toUnitTemperature(celsius: number, unit: string): number {
  return unit === FAHRENHEIT ? (celsius * 9) / 5 + 32 : celsius;
}

export function toUnitWeight(kg: number, unit: string): number {
  return unit === POUNDS ? kg / KG_PER_LB : kg;
}

export class Formatter {
  private readonly number: Intl.NumberFormat;
  private readonly signed: Intl.NumberFormat;
  private readonly time: Intl.DateTimeFormat;
  private readonly dayTime: Intl.DateTimeFormat;
  private readonly date: Intl.DateTimeFormat;
  private readonly relative: Intl.RelativeTimeFormat;
  readonly temperatureUnit: string;
  readonly weightUnit: string;

  constructor(hass: HomeAssistant, language: string) {
    // Times in the server's zone unless the user chose their browser's.
    const timeZone = hass.locale?.time_zone === "local" ? undefined : hass.config.time_zone;
    this.number = new Intl.NumberFormat(language, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
    this.signed = new Intl.NumberFormat(language, {
      maximumFractionDigits: 2,
      minimumFractionDigits: 1,
      signDisplay: "exceptZero",
    });
    this.time = new Intl.DateTimeFormat(language, { hour: "numeric", minute: "2-digit", timeZone });
    this.dayTime = new Intl.DateTimeFormat(language, {
      weekday: "short",
      hour: "numeric",
      minute: "2-digit",
      timeZone,
    });
    this.date = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeZone: "UTC" });
    this.relative = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
    this.temperatureUnit = temperatureUnit(hass);
    this.weightUnit = weightUnit(hass);
  }

  temperature(celsius: number): string {
    return `${this.number.format(toUnitTemperature(celsius, this.temperatureUnit))} ${this.temperatureUnit}`;
  }

  weight(kg: number): string {
    return `${this.number.format(toUnitWeight(kg, this.weightUnit))} ${this.weightUnit}`;
  }

  weightChange(kg: number): string {
    return `${this.signed.format(toUnitWeight(kg, this.weightUnit))} ${this.weightUnit}`;
  }

  /** A time today as "14:05", another day as "Tue 14:05". */
  clock(at: number, now: number): string {
    const sameDay = Math.abs(at - now) < 12 * 3600;
    return (sameDay ? this.time : this.dayTime).format(at * 1000);
  }

  /** An ISO date ("2027-03-01") as the user writes dates. */
  isoDate(value: string): string {
    return this.date.format(new Date(`${value}T00:00:00Z`));
  }

  /** "in 20 minutes", "2 hours ago", "tomorrow": how far `at` is from `now`. */
  fromNow(at: number, now: number): string {
    const seconds = at - now;
    const abs = Math.abs(seconds);
    if (abs < 3600) return this.relative.format(Math.round(seconds / 60), "minute");
    if (abs < 36 * 3600) return this.relative.format(Math.round(seconds / 3600), "hour");
    return this.relative.format(Math.round(seconds / 86400), "day");
  }
}
