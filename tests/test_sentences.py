"""The example sentences in custom_sentences/ match the intents Auto Home registers."""

# Chinese answers use Chinese punctuation.
# ruff: noqa: RUF001

from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from hassil import Intents, recognize_best
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent
from homeassistant.setup import async_setup_component
import pytest
import yaml

from .chore_helpers import attributes
from .voice_helpers import link_user, setup_voice_household

SENTENCES = Path(__file__).parent.parent / "custom_sentences"
# Folder names are the language variants Home Assistant loads custom sentences
# for (Simplified Chinese is zh-CN there).
LANGUAGES = ["en", "zh-CN"]


def _load(language: str) -> dict[str, Any]:
    with (SENTENCES / language / "auto_home.yaml").open(encoding="utf-8") as file:
        return yaml.safe_load(file)


@pytest.fixture
async def handlers(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> dict[str, intent.IntentHandler]:
    """The intent handlers Auto Home registers, by intent type."""
    assert await async_setup_component(hass, "intent", {})
    await setup_voice_household(hass, freezer)
    return {
        handler.intent_type: handler
        for handler in intent.async_get(hass)
        if handler.intent_type.startswith("AutoHome")
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_folder_is_tested(language: str) -> None:
    assert sorted(path.name for path in SENTENCES.iterdir()) == LANGUAGES
    assert [path.name for path in (SENTENCES / language).iterdir()] == [
        "auto_home.yaml"
    ]
    assert _load(language)["language"] == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_sentences_match_the_intents(
    language: str, handlers: dict[str, intent.IntentHandler]
) -> None:
    data = _load(language)
    intents = Intents.from_dict(data)
    # Every handler has sentences, and every sentence a handler.
    assert sorted(intents.intents) == sorted(handlers)
    for name, intent_sentences in intents.intents.items():
        slots = {str(key) for key in handlers[name].slot_schema}
        for block in intent_sentences.data:
            assert set(block.slots) <= slots, name
            for sentence in block.sentences:
                for reference in sentence.expression.list_references():
                    assert reference.list_name in data["lists"], sentence.text
                    assert reference.slot_name in slots, sentence.text


EXAMPLES = [
    ("en", "what's left to do today", "AutoHomeListChores", {}),
    ("en", "what does Mia have to do today", "AutoHomeListChores", {"member": "Mia"}),
    ("en", "what are my chores", "AutoHomeListChores", {"mine": True}),
    ("en", "what's overdue", "AutoHomeListChores", {"status": "overdue"}),
    (
        "en",
        "which of Leo's chores are overdue",
        "AutoHomeListChores",
        {"member": "Leo", "status": "overdue"},
    ),
    ("en", "I did the dishes", "AutoHomeCompleteChore", {"chore": "dishes"}),
    (
        "en",
        "Leo finished the water plants",
        "AutoHomeCompleteChore",
        {"member": "Leo", "chore": "water plants"},
    ),
    ("en", "mark laundry as done", "AutoHomeCompleteChore", {"chore": "laundry"}),
    (
        "en",
        "snooze the dishes for 2 hours",
        "AutoHomeSnoozeChore",
        {"chore": "dishes", "hours": 2},
    ),
    (
        "en",
        "postpone laundry by 30 minutes",
        "AutoHomeSnoozeChore",
        {"chore": "laundry", "minutes": 30},
    ),
    (
        "en",
        "Mia is at 38.4",
        "AutoHomeRecordTemperature",
        {"member": "Mia", "temperature": 38.4},
    ),
    (
        "en",
        "Leo's temperature is 101.3 degrees fahrenheit",
        "AutoHomeRecordTemperature",
        {"member": "Leo", "temperature": 101.3, "unit": "°F"},
    ),
    (
        "en",
        "my temperature is 37.5",
        "AutoHomeRecordTemperature",
        {"temperature": 37.5},
    ),
    (
        "en",
        "what is Mia's latest temperature",
        "AutoHomeTemperatureStatus",
        {"member": "Mia"},
    ),
    ("en", "does Leo have a fever", "AutoHomeTemperatureStatus", {"member": "Leo"}),
    ("en", "do I have a fever", "AutoHomeTemperatureStatus", {}),
    (
        "en",
        "Leo weighs 72.4 kilos",
        "AutoHomeRecordWeight",
        {"member": "Leo", "weight": 72.4, "unit": "kg"},
    ),
    ("en", "I weigh 160 pounds", "AutoHomeRecordWeight", {"weight": 160, "unit": "lb"}),
    ("en", "how is Leo's weight doing", "AutoHomeWeightTrend", {"member": "Leo"}),
    ("en", "how much do I weigh", "AutoHomeWeightTrend", {}),
    ("zh-CN", "今天还有什么家务", "AutoHomeListChores", {}),
    ("zh-CN", "小明今天有什么家务", "AutoHomeListChores", {"member": "小明"}),
    ("zh-CN", "我今天要做什么", "AutoHomeListChores", {"mine": True}),
    ("zh-CN", "有什么家务逾期了", "AutoHomeListChores", {"status": "overdue"}),
    ("zh-CN", "洗碗做完了", "AutoHomeCompleteChore", {"chore": "洗碗"}),
    (
        "zh-CN",
        "小明完成了浇花",
        "AutoHomeCompleteChore",
        {"member": "小明", "chore": "浇花"},
    ),
    (
        "zh-CN",
        "把洗碗推迟两个小时",
        "AutoHomeSnoozeChore",
        {"chore": "洗碗", "hours": 2},
    ),
    (
        "zh-CN",
        "小明的体温是三十八点四度",
        "AutoHomeRecordTemperature",
        {"member": "小明", "temperature": 38.4},
    ),
    ("zh-CN", "我发烧了吗", "AutoHomeTemperatureStatus", {}),
    ("zh-CN", "小明的体温是多少", "AutoHomeTemperatureStatus", {"member": "小明"}),
    (
        "zh-CN",
        "小明的体重是120斤",
        "AutoHomeRecordWeight",
        {"member": "小明", "weight": 120, "unit": "jin"},
    ),
    (
        "zh-CN",
        "我的体重是六十点五公斤",
        "AutoHomeRecordWeight",
        {"weight": 60.5, "unit": "kg"},
    ),
    ("zh-CN", "小明的体重怎么样", "AutoHomeWeightTrend", {"member": "小明"}),
    ("zh-CN", "我现在多重", "AutoHomeWeightTrend", {}),
]


@pytest.mark.parametrize(("language", "text", "intent_type", "slots"), EXAMPLES)
def test_examples(
    language: str, text: str, intent_type: str, slots: dict[str, Any]
) -> None:
    data = _load(language)
    result = recognize_best(text, Intents.from_dict(data), language=language)
    assert result is not None
    assert result.intent.name == intent_type
    assert {name: entity.value for name, entity in result.entities.items()} == slots


# Built-in Assist sentences that custom sentences (which take precedence) must
# leave alone.
@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "what is the temperature"),
        ("en", "check off milk on the shopping list"),
        ("en", "add milk to my shopping list"),
        ("en", "set a timer for 5 minutes"),
        ("en", "turn on the kitchen light"),
        ("zh-CN", "打开客厅的灯"),
        ("zh-CN", "客厅的温度是多少"),
    ],
)
def test_builtin_sentences_untouched(language: str, text: str) -> None:
    data = _load(language)
    assert recognize_best(text, Intents.from_dict(data), language=language) is None


async def test_through_the_default_agent(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Copied as the README says, the sentences work in Assist."""
    monkeypatch.setattr(hass.config, "config_dir", str(tmp_path))
    for language in LANGUAGES:
        shutil.copytree(
            SENTENCES / language, Path(hass.config.path("custom_sentences", language))
        )
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    await setup_voice_household(hass, freezer)
    mia = await link_user(hass, "Mia")

    async def say(text: str, language: str) -> str:
        result = await conversation.async_converse(
            hass, text, None, Context(user_id=mia), language
        )
        await hass.async_block_till_done()
        return result.response.speech["plain"]["speech"]

    assert await say("what's left to do today", "en") == (
        "Left to do today: Water plants for Leo (overdue) and Dishes for Mia."
    )
    assert await say("I did the dishes", "en") == (
        "Dishes is done, thank you Mia. Next time: tomorrow."
    )
    assert attributes(hass, "sensor.dishes_next_due")["last_completed_by"] == "Mia"
    assert await say("Mia的体温是38.4度", "zh-CN") == "已记录Mia的体温38.4 °C：发热。"
    assert hass.states.get("sensor.mia_body_temperature").state == "38.4"
    assert await say("我发烧了吗", "zh-Hans") == (
        "Mia最近一次体温是38.4 °C，今天10:00测的：发热。从今天10:00开始发热，最高38.4 °C。"
    )
    assert await say("Leo的体重是145斤", "zh-CN") == "已记录Leo的体重72.5 kg。"
    assert await say("how much does Leo weigh", "en") == (
        "Leo's weight trend is 72.5 kg; the latest reading was 72.5 kg, today at"
        " 10:00. Too few recent readings to tell which way it is going."
    )
    assert await say("does Ava have a fever", "en") == (
        "I don't know a member called Ava."
    )
