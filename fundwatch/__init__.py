"""Fundwatch — 非法集资风险监测预警平台."""

__version__ = "0.1.0"
