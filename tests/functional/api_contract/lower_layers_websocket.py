# phase12-path: server/app/api/live.py
"""A WebSocket route beside the route module that takes the plugin-management service from
the application's state."""
from fastapi import APIRouter, WebSocket

router = APIRouter()


@router.websocket("/live")
async def live(socket: WebSocket):
    await socket.accept()
    frame = await socket.receive_json()
    reply = await socket.app.state.plugins.execute_plugin(frame["tool"], frame)  # expect: GOV608
    await socket.send_json(reply)
