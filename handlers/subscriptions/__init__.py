"""Subscriptions: `/langganan` — what a civil servant wants to be told, on the topics features register."""

from db.repositories.subscriptions import SubscriptionRepo
from handlers.feature import Feature
from handlers.subscriptions.flows import router

feature = Feature("subscriptions", router, repositories={"subscriptions": SubscriptionRepo},
                  commands=(("langganan", 45),))
