"""Constants for the Auto Home integration."""

from typing import Final

DOMAIN: Final = "auto_home"

# Subentry types; also each device's model_id, which services.yaml's device
# selectors filter on (the same in every language).
SUBENTRY_MEMBER: Final = "member"
SUBENTRY_CHORE: Final = "chore"
SUBENTRY_MEDICINE: Final = "medicine"

# Member settings (subentry data).
CONF_PERSON: Final = "person"
CONF_BIRTH_DATE: Final = "birth_date"
CONF_AGE_GROUP: Final = "age_group"
CONF_SEX: Final = "sex"
CONF_TEMPERATURE_SITE: Final = "temperature_site"
CONF_TEMPERATURE_SOURCE: Final = "temperature_source"
CONF_CAREGIVERS: Final = "caregivers"
CONF_HEIGHT: Final = "height"
CONF_GOAL_WEIGHT: Final = "goal_weight"
CONF_WEIGHT_SOURCE: Final = "weight_source"
CONF_WEIGHT_SOURCE_SHARED: Final = "weight_source_shared"

# Medicine settings (subentry data): the household's own, from the package.
CONF_MIN_INTERVAL_HOURS: Final = "min_interval_hours"
CONF_MAX_PER_DAY: Final = "max_per_day"
CONF_USUAL_AMOUNT: Final = "usual_amount"
CONF_AMOUNT_UNIT: Final = "amount_unit"

# Service fields.
ATTR_MEMBER: Final = "member"
ATTR_CHORE: Final = "chore"
ATTR_MEASURED_AT: Final = "measured_at"
ATTR_UNIT: Final = "unit"
ATTR_SITE: Final = "site"
ATTR_TEMPERATURE: Final = "temperature"
ATTR_WEIGHT: Final = "weight"
ATTR_READING_ID: Final = "reading_id"
ATTR_HORIZON_DAYS: Final = "horizon_days"
ATTR_READINGS: Final = "readings"
ATTR_MESSAGE: Final = "message"
ATTR_TITLE: Final = "title"
ATTR_MEMBERS: Final = "members"
ATTR_TARGETS: Final = "targets"
ATTR_URGENT: Final = "urgent"
ATTR_MEDICINE: Final = "medicine"
ATTR_AMOUNT: Final = "amount"
ATTR_GIVEN_AT: Final = "given_at"
ATTR_OVERRIDE: Final = "override"

# Household options.
CONF_THRESHOLDS: Final = "thresholds"
CONF_EPISODE_END_HOURS: Final = "episode_end_hours"
CONF_RECHECK_HOURS: Final = "recheck_hours"
DEFAULT_EPISODE_END_HOURS: Final = 24
DEFAULT_RECHECK_HOURS: Final = 4
CONF_DOSE_REMINDER: Final = "dose_reminder"

# Reminders (household options and member settings).
CONF_NOTIFY_TARGETS: Final = "notify_targets"
CONF_WAIT_HOME: Final = "wait_until_home"
CONF_CUSTODY_START: Final = "custody_start"
CONF_AWAY_ENTITIES: Final = "away_entities"
CONF_CUSTODY_WEEKDAYS: Final = "custody_weekdays"
CONF_WAIT_LATEST: Final = "wait_latest"
CONF_HOUSEHOLD_TARGETS: Final = "household_targets"
CONF_QUIET_START: Final = "quiet_start"
CONF_QUIET_END: Final = "quiet_end"
CONF_REPEAT_MINUTES: Final = "repeat_minutes"
CONF_REPEAT_LIMIT: Final = "repeat_limit"
CONF_ESCALATE_AFTER: Final = "escalate_after"
CONF_LEAD_MINUTES: Final = "lead_minutes"
CONF_DIGEST_TIME: Final = "digest_time"
CONF_ALL_DAY_TIME: Final = "all_day_time"
DEFAULT_REPEAT_MINUTES: Final = 120
DEFAULT_REPEAT_LIMIT: Final = 3
DEFAULT_ESCALATE_AFTER: Final = 2
DEFAULT_ALL_DAY_TIME: Final = "09:00:00"
# Urgent fever alerts: the wait for an acknowledgement before the next caregiver.
CONF_ALERT_WAIT_MINUTES: Final = "alert_wait_minutes"
DEFAULT_ALERT_WAIT_MINUTES: Final = 10

# Chore settings (subentry data).
CONF_DESCRIPTION: Final = "description"
CONF_ICON: Final = "icon"
CONF_RECURRENCE: Final = "recurrence"
CONF_INTERVAL: Final = "interval"
CONF_WEEKDAYS: Final = "weekdays"
CONF_MONTH_DAY: Final = "month_day"
CONF_WEEK_OF_MONTH: Final = "week_of_month"
CONF_WEEKDAY: Final = "weekday"
CONF_START_DATE: Final = "start_date"
CONF_DUE_TIME: Final = "due_time"
CONF_ASSIGNEES: Final = "assignees"
CONF_ROTATION: Final = "rotation"
CONF_DUE_WINDOW: Final = "due_window"

# Chore service fields.
ATTR_COMPLETED_AT: Final = "completed_at"
ATTR_DURATION: Final = "duration"
ATTR_UNTIL: Final = "until"
ATTR_AWAY: Final = "away"
ATTR_STATUS: Final = "status"
ATTR_WITHIN_DAYS: Final = "within_days"
ATTR_EPISODE: Final = "episode"
ATTR_START: Final = "start"
ATTR_END: Final = "end"

# Voice assistants and conversation agents (household options).
CONF_SHARE_HEALTH: Final = "share_health_with_agents"
CONF_VOICE_SCOPE: Final = "voice_member_scope"
VOICE_SCOPE_ALL: Final = "all"
VOICE_SCOPE_OWN: Final = "own"
