"""User accounts (admins): every attribute shown and kept; create, change, reset, disable, delete."""

import pandas as pd
import streamlit as st

from mutte_geo.core.i18n import N_, gettext, pgettext
from mutte_geo.core.localtime import local_time_text
from mutte_geo.storage.accounts import AccountError
from mutte_geo.storage.auth import REGION, ROLES
from mutte_geo.ui.appstate import atlas_or_stop, current_lang
from mutte_geo.ui.authpage import ROLE_LABELS, account_store, require
from mutte_geo.ui.flash import rerun_with, show_flash

SENSITIVE = {None: N_("as the role says"), True: N_("granted"),
             False: N_("withheld")}

lang = current_lang()
admin = require("users", lang)
atlas = atlas_or_stop(lang)
accounts = account_store()
st.title(gettext(lang, "User accounts"))
show_flash()

units_held = atlas.store_units  # every unit the value store keeps: the district's and the province's
unit_choices = [REGION] + [f"{v}:{c}" for v in sorted(units_held, reverse=True) for c in units_held[v]]


def unit_label(key: str) -> str:
    if key == REGION:
        return gettext(lang, "Whole region")
    vintage, _, code = key.partition(":")
    unit = units_held[int(vintage)].get(code)
    return f"{unit.label(lang) if unit else code} ({key})"


records = accounts.all()
st.dataframe(pd.DataFrame.from_records([{
    gettext(lang, "User name"): r.user.login, pgettext(lang, "users", "Name"): r.user.name,
    gettext(lang, "Role"): gettext(lang, ROLE_LABELS[r.user.role]),
    gettext(lang, "Units"): "; ".join(unit_label(u) for u in sorted(r.user.units)),
    gettext(lang, "Sensitive layer"): gettext(lang, SENSITIVE[r.user.sensitive]),
    gettext(lang, "State"): gettext(lang, "disabled") if r.disabled else gettext(lang, "active"),
    gettext(lang, "Must change password"): gettext(lang, "yes") if r.must_change_password else "",
    gettext(lang, "Last changed (Vietnam time)"): local_time_text(r.updated_at, lang),
} for r in records]), hide_index=True, width="stretch")


def attempt(action, message: str) -> None:
    try:
        action()
    except AccountError as exc:
        st.error(exc.text(lang))
    else:
        rerun_with(message)


new_tab, change_tab, reset_tab, state_tab = st.tabs([
    gettext(lang, "Add an account"), gettext(lang, "Change role, units"),
    gettext(lang, "Reset a password"), gettext(lang, "Disable, enable, delete")])
with new_tab, st.form("user_new", clear_on_submit=False):
    login = st.text_input(gettext(lang, "User name"), key="user_new_login").strip()
    name = st.text_input(pgettext(lang, "users", "Name"), key="user_new_name")
    role = st.selectbox(gettext(lang, "Role"), ROLES, format_func=lambda r: gettext(lang, ROLE_LABELS[r]),
                        key="user_new_role")
    units = st.multiselect(gettext(lang, "Units (2025 communes; 2024 units for older data) or the whole region"),
                           unit_choices, format_func=unit_label, key="user_new_units",
                           placeholder=gettext(lang, "Choose units"))
    sensitive = st.selectbox(gettext(lang, "Sensitive layer"), list(SENSITIVE),
                             format_func=lambda s: gettext(lang, SENSITIVE[s]), key="user_new_sensitive")
    password = st.text_input(gettext(lang, "First password (the user must change it at sign-in)"), type="password",
                             key="user_new_password")
    if st.form_submit_button(gettext(lang, "Add")):
        attempt(lambda: accounts.create(admin.login, login, password=password, role=role, name=name,
                                        units=frozenset(units), sensitive=sensitive),
                gettext(lang, "Account {login} added.").format(login=login))

logins = [r.user.login for r in records]
by_login = {r.user.login: r for r in records}
with change_tab:
    chosen = st.selectbox(gettext(lang, "Account"), logins, key="user_change_login")
    if chosen:
        held = by_login[chosen].user
        with st.form(f"user_change_{chosen}"):  # every field starts as stored, so nothing is dropped
            name = st.text_input(pgettext(lang, "users", "Name"), held.name)
            role = st.selectbox(gettext(lang, "Role"), ROLES, index=ROLES.index(held.role),
                                format_func=lambda r: gettext(lang, ROLE_LABELS[r]))
            units = st.multiselect(gettext(lang, "Units"), unit_choices, default=sorted(held.units),
                                   format_func=unit_label, placeholder=gettext(lang, "Choose units"))
            sensitive = st.selectbox(gettext(lang, "Sensitive layer"), list(SENSITIVE),
                                     index=list(SENSITIVE).index(held.sensitive),
                                     format_func=lambda s: gettext(lang, SENSITIVE[s]))
            if st.form_submit_button(gettext(lang, "Save")):
                attempt(lambda: accounts.change(admin.login, chosen, role=role, name=name, units=frozenset(units),
                                                sensitive=sensitive),
                        gettext(lang, "Account {chosen} saved.").format(chosen=chosen))
with reset_tab, st.form("user_reset", clear_on_submit=True):
    chosen = st.selectbox(gettext(lang, "Account"), logins, key="user_reset_login")
    password = st.text_input(gettext(lang, "New password (only the password changes; role, units and grants are kept)"),
                             type="password", key="user_reset_password")
    if st.form_submit_button(gettext(lang, "Reset")) and chosen:
        attempt(lambda: accounts.reset_password(admin.login, chosen, password),
                gettext(lang, "Password of {chosen} reset; the user must change it at sign-in.").format(chosen=chosen))
with state_tab:
    chosen = st.selectbox(gettext(lang, "Account"), logins, key="user_state_login")
    if chosen:
        disabled = by_login[chosen].disabled
        left, right = st.columns(2)
        if left.button(gettext(lang, "Re-enable") if disabled else gettext(lang, "Disable"),
                       key="user_toggle"):
            attempt(lambda: accounts.set_disabled(admin.login, chosen, not disabled),
                    gettext(lang, "Account {chosen} re-enabled.").format(chosen=chosen) if disabled
                    else gettext(lang, "Account {chosen} disabled.").format(chosen=chosen))
        sure = right.checkbox(gettext(lang, "I want to delete {chosen}").format(chosen=chosen),
                              key="user_delete_sure")
        if right.button(gettext(lang, "Delete"), disabled=not sure, key="user_delete"):
            attempt(lambda: accounts.delete(admin.login, chosen),
                    gettext(lang, "Account {chosen} deleted.").format(chosen=chosen))
