// Keeps the household up to date: the snapshot, then each delta merged in.
import type { Delta, Household, HouseholdEvent, Member } from "./types";

/** Return the household after one delta (the snapshot object is not changed). */
export function applyDelta(household: Household, delta: Delta): Household {
  const next: Household = { ...household };
  if (delta.members) {
    const members: Record<string, Member> = { ...household.members };
    for (const [id, change] of Object.entries(delta.members)) {
      if (change === null) delete members[id];
      else members[id] = { ...members[id], ...change } as Member;
    }
    next.members = members;
  }
  if (delta.chores) {
    const chores = { ...household.chores };
    for (const [id, chore] of Object.entries(delta.chores)) {
      if (chore === null) delete chores[id];
      else chores[id] = chore;
    }
    next.chores = chores;
  }
  if (delta.now !== undefined) next.now = delta.now;
  if (delta.order) next.order = delta.order;
  if (delta.upcoming !== undefined) next.upcoming = delta.upcoming;
  if (delta.held) next.held = delta.held;
  if (delta.viewer) next.viewer = delta.viewer;
  if (delta.thresholds) next.thresholds = delta.thresholds;
  if (delta.title !== undefined) next.title = delta.title;
  return next;
}

/** Fold one subscription event into the household (a snapshot replaces it). */
export function receive(household: Household | undefined, event: HouseholdEvent) {
  if ("snapshot" in event) return event.snapshot;
  if ("delta" in event) return household && applyDelta(household, event.delta);
  return household;
}
