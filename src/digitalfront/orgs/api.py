from ninja import Router

router = Router(tags=["Tổ chức"])
