"""Stored indicator definitions brought in line with seed 004 (the catalogue of targets.services.CATALOGUE):

* eid_level2's Vietnamese name said "eligible citizens" (its denominator): it counts citizens registered;
* activation is a share of the accounts issued ("90% công dân được cấp tài khoản ĐDDT mức độ 2"), a new
  indicator eid_issued, not of registrations;
* the citizen app's target is a range, 40-50%: the top is kept (default_target_high).

Only definitions still as the catalogue seeded them change: an administrator's edits are kept. A database
without the catalogue (seed_indicators not run yet) is left alone; seed_indicators then adds the new one.
"""

from django.db import migrations

OLD_EID_NAME = "Công dân đủ điều kiện đăng ký định danh điện tử mức độ 2 (VNeID)"
NEW_EID_NAME = "Công dân đã đăng ký định danh điện tử mức độ 2 (VNeID)"
SEED_004 = "KH Ra quân Tổ CNSCĐ huyện Mộ Đức, 01-10/10/2024"
OLD_APP_SOURCE = SEED_004 + " (40-50%)"


def forwards(apps, schema_editor):
    Indicator = apps.get_model("targets", "Indicator")
    registered = Indicator.objects.filter(code="eid_level2").first()
    if registered is None:
        return
    if registered.name_vi == OLD_EID_NAME:
        registered.name_vi = NEW_EID_NAME
        registered.save(update_fields=["name_vi"])
    issued = Indicator.objects.filter(code="eid_issued").first() or Indicator.objects.create(
        code="eid_issued", name_vi="Công dân được cấp tài khoản định danh điện tử mức độ 2",
        name_en="Citizens issued a level-2 e-ID account", pillar=registered.pillar, kind="count",
        denominator_field="eid_eligible", aggregation="stock", source=SEED_004, order=registered.order + 5,
    )
    Indicator.objects.filter(code="eid_activation", denominator_indicator=registered).update(denominator_indicator=issued)
    Indicator.objects.filter(code="citizen_app", default_target=40, default_target_high__isnull=True, source=OLD_APP_SOURCE).update(
        default_target_high=50, source=SEED_004,
    )


def backwards(apps, schema_editor):
    Indicator = apps.get_model("targets", "Indicator")
    registered = Indicator.objects.filter(code="eid_level2").first()
    if registered is None:
        return
    Indicator.objects.filter(code="eid_level2", name_vi=NEW_EID_NAME).update(name_vi=OLD_EID_NAME)
    Indicator.objects.filter(code="eid_activation", denominator_indicator__code="eid_issued").update(denominator_indicator=registered)
    Indicator.objects.filter(code="citizen_app", default_target_high=50, source=SEED_004).update(default_target_high=None, source=OLD_APP_SOURCE)


class Migration(migrations.Migration):
    dependencies = [("targets", "0002_indicator_default_target_high")]
    operations = [migrations.RunPython(forwards, backwards)]
