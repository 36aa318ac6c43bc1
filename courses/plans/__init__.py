"""DX execution plans (DX実行計画): ideas of approved SVO worksheets grown into plans with a
target and steps; their services, selectors, form and screens."""
