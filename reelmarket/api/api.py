from ninja import NinjaAPI

api = NinjaAPI(title="ReelMarket API", version="1", urls_namespace="api")
